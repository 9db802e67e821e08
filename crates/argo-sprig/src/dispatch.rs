//! The name -> function table: arity checks happen here, once, before a function runs, and the
//! public name list is derived from the same table so the two cannot drift apart.
//! Must not: implement functions; each lives in the module of its domain.

use serde_json::Value;

use crate::arguments::Args;
use crate::{Context, Error, Result};
use crate::{casing, ciphers, passwords, regexes, semver, strings, text, urls};
use crate::{dates, defaults, dicts, encoding, json, lists, math, paths, random, reflection};

type Pure = fn(&Args<'_>) -> Result<Value>;
type WithContext = fn(&Args<'_>, &Context) -> Result<Value>;

#[derive(Clone, Copy)]
enum Run {
    Pure(Pure),
    WithContext(WithContext),
}

#[derive(Clone, Copy)]
enum Arity {
    Exact(usize),
    AtLeast(usize),
    Between(usize, usize),
}

struct Entry {
    name: &'static str,
    arity: Arity,
    run: Run,
}

const fn pure(name: &'static str, arity: Arity, f: Pure) -> Entry {
    Entry {
        name,
        arity,
        run: Run::Pure(f),
    }
}

const fn ctx(name: &'static str, arity: Arity, f: WithContext) -> Entry {
    Entry {
        name,
        arity,
        run: Run::WithContext(f),
    }
}

use Arity::{AtLeast, Between, Exact};

const E0: Arity = Exact(0);
const E1: Arity = Exact(1);
const E2: Arity = Exact(2);
const E3: Arity = Exact(3);

const ENTRIES: &[Entry] = &[
    // dates
    ctx("ago", E1, dates::ago),
    ctx("date", E2, dates::date),
    ctx("date_in_zone", E3, dates::date_in_zone),
    ctx("dateInZone", E3, dates::date_in_zone),
    pure("date_modify", E2, dates::date_modify),
    pure("dateModify", E2, dates::date_modify),
    pure("must_date_modify", E2, dates::must_date_modify),
    pure("mustDateModify", E2, dates::must_date_modify),
    pure("duration", E1, dates::duration),
    ctx("durationRound", E1, dates::duration_round),
    ctx("htmlDate", E1, dates::html_date),
    ctx("htmlDateInZone", E2, dates::html_date_in_zone),
    ctx("now", E0, dates::now),
    pure("toDate", E2, dates::to_date),
    pure("mustToDate", E2, dates::must_to_date),
    pure("unixEpoch", E1, dates::unix_epoch),
    // strings
    pure("abbrev", E2, text::abbrev),
    pure("abbrevboth", E3, text::abbrevboth),
    pure("trunc", E2, strings::trunc),
    pure("trim", E1, strings::trim),
    pure("upper", E1, strings::upper),
    pure("lower", E1, strings::lower),
    pure("title", E1, casing::title),
    pure("untitle", E1, casing::untitle),
    pure("substr", E3, strings::substr),
    pure("repeat", E2, strings::repeat),
    pure("trimall", E2, strings::trim_all),
    pure("trimAll", E2, strings::trim_all),
    pure("trimSuffix", E2, strings::trim_suffix),
    pure("trimPrefix", E2, strings::trim_prefix),
    pure("nospace", E1, strings::nospace),
    pure("initials", E1, casing::initials),
    ctx("randAlphaNum", E1, random::rand_alpha_num),
    ctx("randAlpha", E1, random::rand_alpha),
    ctx("randAscii", E1, random::rand_ascii),
    ctx("randNumeric", E1, random::rand_numeric),
    pure("swapcase", E1, casing::swapcase),
    ctx("shuffle", E1, random::shuffle),
    pure("snakecase", E1, casing::snakecase),
    pure("camelcase", E1, casing::camelcase),
    pure("kebabcase", E1, casing::kebabcase),
    pure("wrap", E2, text::wrap),
    pure("wrapWith", E3, text::wrap_with),
    pure("contains", E2, strings::contains),
    pure("hasPrefix", E2, strings::has_prefix),
    pure("hasSuffix", E2, strings::has_suffix),
    pure("quote", AtLeast(0), strings::quote),
    pure("squote", AtLeast(0), strings::squote),
    pure("cat", AtLeast(0), strings::cat),
    pure("indent", E2, strings::indent),
    pure("nindent", E2, strings::nindent),
    pure("replace", E3, strings::replace),
    pure("plural", E3, strings::plural),
    pure("sha1sum", E1, encoding::sha1sum),
    pure("sha256sum", E1, encoding::sha256sum),
    pure("sha512sum", E1, encoding::sha512sum),
    pure("adler32sum", E1, encoding::adler32sum),
    pure("toString", E1, strings::to_string),
    // conversion and math
    pure("atoi", E1, math::atoi),
    pure("int64", E1, math::int64),
    pure("int", E1, math::int64),
    pure("float64", E1, math::float64),
    pure("seq", AtLeast(0), math::seq),
    pure("toDecimal", E1, math::to_decimal),
    pure("split", E2, strings::split),
    pure("splitList", E2, strings::split_list),
    pure("splitn", E3, strings::splitn),
    pure("toStrings", E1, strings::to_strings),
    pure("until", E1, math::until),
    pure("untilStep", E3, math::until_step),
    pure("add1", E1, math::add1),
    pure("add", AtLeast(0), math::add),
    pure("sub", E2, math::sub),
    pure("div", E2, math::div),
    pure("mod", E2, math::modulo),
    pure("mul", AtLeast(1), math::mul),
    ctx("randInt", E2, random::rand_int),
    pure("add1f", E1, math::add1f),
    pure("addf", AtLeast(0), math::addf),
    pure("subf", AtLeast(1), math::subf),
    pure("divf", AtLeast(1), math::divf),
    pure("mulf", AtLeast(1), math::mulf),
    pure("biggest", AtLeast(1), math::max),
    pure("max", AtLeast(1), math::max),
    pure("min", AtLeast(1), math::min),
    pure("maxf", AtLeast(1), math::maxf),
    pure("minf", AtLeast(1), math::minf),
    pure("ceil", E1, math::ceil),
    pure("floor", E1, math::floor),
    pure("round", Between(2, 3), math::round),
    // defaults, JSON and flow
    pure("join", E2, strings::join),
    pure("sortAlpha", E1, lists::sort_alpha),
    pure("default", AtLeast(1), defaults::default),
    pure("empty", E1, defaults::empty),
    pure("coalesce", AtLeast(0), defaults::coalesce),
    pure("all", AtLeast(0), defaults::all),
    pure("any", AtLeast(0), defaults::any),
    pure("compact", E1, lists::compact),
    pure("mustCompact", E1, lists::compact),
    pure("fromJson", E1, json::from_json),
    pure("mustFromJson", E1, json::must_from_json),
    pure("toJson", E1, json::to_json),
    pure("mustToJson", E1, json::to_json),
    pure("toPrettyJson", E1, json::to_pretty_json),
    pure("mustToPrettyJson", E1, json::to_pretty_json),
    pure("toRawJson", E1, json::to_raw_json),
    pure("mustToRawJson", E1, json::to_raw_json),
    pure("ternary", E3, defaults::ternary),
    pure("deepCopy", E1, defaults::deep_copy),
    pure("mustDeepCopy", E1, defaults::deep_copy),
    pure("fail", E1, defaults::fail),
    pure("hello", E0, defaults::hello),
    // lists
    pure("tuple", AtLeast(0), lists::list),
    pure("list", AtLeast(0), lists::list),
    pure("append", E2, lists::push),
    pure("push", E2, lists::push),
    pure("mustAppend", E2, lists::push),
    pure("mustPush", E2, lists::push),
    pure("prepend", E2, lists::prepend),
    pure("mustPrepend", E2, lists::prepend),
    pure("first", E1, lists::first),
    pure("mustFirst", E1, lists::first),
    pure("rest", E1, lists::rest),
    pure("mustRest", E1, lists::rest),
    pure("last", E1, lists::last),
    pure("mustLast", E1, lists::last),
    pure("initial", E1, lists::initial),
    pure("mustInitial", E1, lists::initial),
    pure("reverse", E1, lists::reverse),
    pure("mustReverse", E1, lists::reverse),
    pure("uniq", E1, lists::uniq),
    pure("mustUniq", E1, lists::uniq),
    pure("without", AtLeast(1), lists::without),
    pure("mustWithout", AtLeast(1), lists::without),
    pure("has", E2, lists::has),
    pure("mustHas", E2, lists::has),
    pure("slice", AtLeast(1), lists::slice),
    pure("mustSlice", AtLeast(1), lists::slice),
    pure("concat", AtLeast(0), lists::concat),
    pure("chunk", E2, lists::chunk),
    pure("mustChunk", E2, lists::chunk),
    // dicts
    pure("dict", AtLeast(0), dicts::dict),
    pure("get", E2, dicts::get),
    pure("set", E3, dicts::set),
    pure("unset", E2, dicts::unset),
    pure("hasKey", E2, dicts::has_key),
    pure("pluck", AtLeast(1), dicts::pluck),
    pure("keys", AtLeast(0), dicts::keys),
    pure("pick", AtLeast(1), dicts::pick),
    pure("omit", AtLeast(1), dicts::omit),
    pure("merge", AtLeast(1), dicts::merge),
    pure("mustMerge", AtLeast(1), dicts::merge),
    pure("mergeOverwrite", AtLeast(1), dicts::merge_overwrite),
    pure("mustMergeOverwrite", AtLeast(1), dicts::merge_overwrite),
    pure("values", E1, dicts::values),
    pure("dig", AtLeast(3), dicts::dig),
    // reflection
    pure("typeOf", E1, reflection::type_of),
    pure("typeIs", E2, reflection::type_is),
    pure("typeIsLike", E2, reflection::type_is_like),
    pure("kindOf", E1, reflection::kind_of),
    pure("kindIs", E2, reflection::kind_is),
    pure("deepEqual", E2, reflection::deep_equal),
    // paths
    pure("base", E1, paths::base),
    pure("dir", E1, paths::dir),
    pure("clean", E1, paths::clean),
    pure("ext", E1, paths::ext),
    pure("isAbs", E1, paths::is_abs),
    pure("osBase", E1, paths::base),
    pure("osClean", E1, paths::clean),
    pure("osDir", E1, paths::dir),
    pure("osExt", E1, paths::ext),
    pure("osIsAbs", E1, paths::is_abs),
    // encoding, identifiers, versions
    pure("b64enc", E1, encoding::b64enc),
    pure("b64dec", E1, encoding::b64dec),
    pure("b32enc", E1, encoding::b32enc),
    pure("b32dec", E1, encoding::b32dec),
    ctx("randBytes", E1, random::rand_bytes),
    ctx("encryptAES", E2, ciphers::encrypt_aes),
    pure("decryptAES", E2, ciphers::decrypt_aes),
    ctx("bcrypt", E1, passwords::bcrypt),
    ctx("htpasswd", E2, passwords::htpasswd),
    ctx("uuidv4", E0, random::uuidv4),
    pure("semver", E1, semver::semver),
    pure("semverCompare", E2, semver::semver_compare),
    // regular expressions
    pure("regexMatch", E2, regexes::regex_match),
    pure("mustRegexMatch", E2, regexes::must_regex_match),
    pure("regexFindAll", E3, regexes::regex_find_all),
    pure("mustRegexFindAll", E3, regexes::regex_find_all),
    pure("regexFind", E2, regexes::regex_find),
    pure("mustRegexFind", E2, regexes::regex_find),
    pure("regexReplaceAll", E3, regexes::regex_replace_all),
    pure("mustRegexReplaceAll", E3, regexes::regex_replace_all),
    pure(
        "regexReplaceAllLiteral",
        E3,
        regexes::regex_replace_all_literal,
    ),
    pure(
        "mustRegexReplaceAllLiteral",
        E3,
        regexes::regex_replace_all_literal,
    ),
    pure("regexSplit", E3, regexes::regex_split),
    pure("mustRegexSplit", E3, regexes::regex_split),
    pure("regexQuoteMeta", E1, regexes::regex_quote_meta),
    // URLs
    pure("urlParse", E1, urls::url_parse),
    pure("urlJoin", E1, urls::url_join),
];

/// Sprig functions this crate deliberately does not provide: they do network I/O, generate
/// keys and certificates, or run scrypt with 32 MiB of memory per call.
const UNSUPPORTED: &[&str] = &[
    "getHostByName",
    "genPrivateKey",
    "derivePassword",
    "buildCustomCert",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
];

const COUNT: usize = ENTRIES.len();

/// Every implemented name, in table order.
pub(crate) const NAMES: [&str; COUNT] = {
    let mut names = [""; COUNT];
    let mut i = 0;
    while i < COUNT {
        names[i] = ENTRIES[i].name;
        i += 1;
    }
    names
};

pub(crate) fn call(name: &str, values: &[Value], context: &Context) -> Result<Value> {
    if matches!(name, "env" | "expandenv") {
        return Err(Error::Forbidden { name: name.into() });
    }
    let Some(entry) = ENTRIES.iter().find(|entry| entry.name == name) else {
        if UNSUPPORTED.contains(&name) {
            return Err(Error::Invalid {
                name: name.into(),
                message: "is not supported by this implementation (it needs network access, key generation or scrypt)".into(),
            });
        }
        return Err(Error::UnknownFunction { name: name.into() });
    };
    check_arity(entry, values.len())?;
    let args = Args {
        name: entry.name,
        values,
    };
    match entry.run {
        Run::Pure(f) => f(&args),
        Run::WithContext(f) => f(&args, context),
    }
}

fn check_arity(entry: &Entry, got: usize) -> Result<()> {
    let (fits, expected) = match entry.arity {
        Exact(n) => (got == n, n.to_string()),
        AtLeast(n) => (got >= n, format!("at least {n}")),
        Between(low, high) => (got >= low && got <= high, format!("{low} to {high}")),
    };
    if fits {
        return Ok(());
    }
    Err(Error::Arity {
        name: entry.name.into(),
        expected,
        got,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut names = NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COUNT);
    }

    #[test]
    fn unsupported_names_are_not_listed() {
        for name in UNSUPPORTED {
            assert!(!NAMES.contains(name), "{name}");
        }
    }
}
