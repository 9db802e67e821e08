// A small Markdown reader for titles, descriptions and messages: headings, paragraphs, lists,
// fenced code, inline code, emphasis, strong and links. Produces a plain tree that the renderer
// turns into React elements, so raw HTML in the text stays text. Links keep only safe targets
// (http, https, mailto, relative). Pure: no DOM.

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block =
  | { kind: 'heading'; level: number; children: Inline[] }
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'code'; text: string };

/** A link target the renderer may use, or undefined for schemes such as `javascript:`. */
export function safeHref(raw: string): string | undefined {
  const href = raw.trim();
  // Control characters and whitespace inside a scheme are how filters get bypassed; refuse them.
  if ([...href].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return undefined;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(href);
  if (!scheme) return href.startsWith('//') ? undefined : href;
  return ['http', 'https', 'mailto'].includes((scheme[1] ?? '').toLowerCase()) ? href : undefined;
}

/** Parses inline markup; unmatched markers stay literal text. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push({ kind: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i] as string;
    if (ch === '\\' && i + 1 < text.length && /[\\`*_[\]()#-]/.test(text[i + 1] as string)) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ kind: 'code', text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    const strong = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest);
    if (strong) {
      flush();
      out.push({ kind: 'strong', children: parseInline(strong[2] ?? '') });
      i += strong[0].length;
      continue;
    }
    const em = /^([*_])(?=\S)([\s\S]*?\S)\1(?![*_])/.exec(rest);
    if (em && (ch === '*' || i === 0 || /\W/.test(text[i - 1] as string))) {
      flush();
      out.push({ kind: 'em', children: parseInline(em[2] ?? '') });
      i += em[0].length;
      continue;
    }
    const link = /^\[([^\]]*)\]\(([^()\s]*)\)/.exec(rest);
    if (link) {
      const href = safeHref(link[2] ?? '');
      flush();
      const children = parseInline(link[1] ?? '');
      if (href !== undefined) out.push({ kind: 'link', href, children });
      else out.push(...children);
      i += link[0].length;
      continue;
    }
    plain += ch;
    i++;
  }
  flush();
  return out;
}

const LIST_ITEM = /^\s{0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/;

/** Parses block structure line by line. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*```/.test(line)) {
      endParagraph();
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i] as string)) code.push(lines[i++] as string);
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      endParagraph();
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, children: parseInline(heading[2] ?? '') });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      endParagraph();
      const ordered = /\d/.test(item[1] ?? '');
      const items: Inline[][] = [];
      let current = item[2] ?? '';
      for (i++; i < lines.length; i++) {
        const next = lines[i] as string;
        const nextItem = LIST_ITEM.exec(next);
        if (nextItem && /\d/.test(nextItem[1] ?? '') === ordered) {
          items.push(parseInline(current));
          current = nextItem[2] ?? '';
        } else if (/^\s+\S/.test(next) && !nextItem) {
          current += ` ${next.trim()}`;
        } else break;
      }
      items.push(parseInline(current));
      i--;
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    if (line.trim() === '') endParagraph();
    else paragraph.push(line.trim());
  }
  endParagraph();
  return blocks;
}
