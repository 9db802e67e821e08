#!/usr/bin/env python3
"""Regenerate proto/protos/{k8s,argo,events}/*.proto from upstream sources.

What this tool takes from upstream is the *interface only*: package names,
message names, field names, field numbers, field types and labels (from each
project's generated.proto), and how Go's encoding/json treats each field (from
the `json:"..."` struct tags and the Go field type). It never carries comments
or any other text across; the layout, ordering and the few comments in the
output are this project's.

Only the messages reachable from our own roots are emitted (every Argo
v1alpha1 message, the argo-events EventSource/Sensor objects, and whatever the
service files in proto/protos/services name), so the Kubernetes subset stays
as small as the API needs.

Usage (the upstream repositories are bare git mirrors; nothing is vendored):
    python3 proto/tools/schema_extract.py /work/.mirror proto/protos
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys
from dataclasses import dataclass, field

# (mirror dir, git ref, proto path, go source dir, output file, package)
SOURCES = [
    ("kubernetes+api", "v0.35.4", "core/v1/generated.proto", "core/v1", "k8s/core_v1.proto"),
    ("kubernetes+api", "v0.35.4", "policy/v1/generated.proto", "policy/v1", "k8s/policy_v1.proto"),
    ("kubernetes+apimachinery", "v0.35.4", "pkg/apis/meta/v1/generated.proto", "pkg/apis/meta/v1", "k8s/meta_v1.proto"),
    ("kubernetes+apimachinery", "v0.35.4", "pkg/runtime/generated.proto", "pkg/runtime", "k8s/runtime.proto"),
    ("kubernetes+apimachinery", "v0.35.4", "pkg/runtime/schema/generated.proto", "pkg/runtime/schema", "k8s/runtime_schema.proto"),
    ("kubernetes+apimachinery", "v0.35.4", "pkg/util/intstr/generated.proto", "pkg/util/intstr", "k8s/intstr.proto"),
    ("kubernetes+apimachinery", "v0.35.4", "pkg/api/resource/generated.proto", "pkg/api/resource", "k8s/resource.proto"),
    ("argoproj+argo-events", "v1.9.11", "pkg/apis/events/v1alpha1/generated.proto", "pkg/apis/events/v1alpha1", "events/events_v1alpha1.proto"),
    ("argoproj+argo-workflows", "HEAD", "pkg/apis/workflow/v1alpha1/generated.proto", "pkg/apis/workflow/v1alpha1", "argo/workflow_v1alpha1.proto"),
]

ARGO_PACKAGE = "github.com.argoproj.argo_workflows.v4.pkg.apis.workflow.v1alpha1"
EVENTS_PACKAGE = "github.com.argoproj.argo_events.pkg.apis.events.v1alpha1"
EVENTS_ROOTS = ["EventSource", "EventSourceList", "Sensor", "SensorList"]

HEADERS = {
    "k8s.io.api.core.v1": "Kubernetes core/v1: the subset of messages the Argo API reaches.",
    "k8s.io.api.policy.v1": "Kubernetes policy/v1: the subset of messages the Argo API reaches.",
    "k8s.io.apimachinery.pkg.apis.meta.v1": "Kubernetes meta/v1 (object metadata, list and request options).",
    "k8s.io.apimachinery.pkg.runtime": "Kubernetes runtime: raw embedded objects.",
    "k8s.io.apimachinery.pkg.runtime.schema": "Kubernetes runtime/schema.",
    "k8s.io.apimachinery.pkg.util.intstr": "Kubernetes IntOrString.",
    "k8s.io.apimachinery.pkg.api.resource": "Kubernetes resource quantities.",
    EVENTS_PACKAGE: "Argo Events v1alpha1: EventSource and Sensor, as carried by the eventsource and sensor services.",
    ARGO_PACKAGE: "Argo Workflows v1alpha1: the workflow resource model on the wire.",
}

SCALARS = {"string", "bool", "bytes", "int32", "int64", "uint32", "uint64", "double", "float",
           "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64"}

FIELD_RE = re.compile(r"^\s*(optional|repeated)\s+([A-Za-z0-9_.]+)\s+([A-Za-z0-9_]+)\s*=\s*(\d+)\s*;")
MAP_RE = re.compile(r"^\s*map<\s*([A-Za-z0-9_.]+)\s*,\s*([A-Za-z0-9_.]+)\s*>\s+([A-Za-z0-9_]+)\s*=\s*(\d+)\s*;")


@dataclass
class Field:
    label: str  # optional | repeated | map
    type: str  # fully qualified for messages (leading dot), scalar otherwise
    name: str
    number: int
    key: str = ""


@dataclass
class Message:
    package: str
    name: str
    fields: list[Field] = field(default_factory=list)

    @property
    def full(self) -> str:
        return f".{self.package}.{self.name}"


@dataclass
class GoField:
    json_name: str
    omitempty: bool
    inline: bool
    kind: str  # pointer | slice | map | value
    any_string: bool = False


def git_show(mirror: pathlib.Path, repo: str, ref: str, path: str) -> str:
    return subprocess.run(["git", "-C", str(mirror / repo / "repo"), "show", f"{ref}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def git_ls(mirror: pathlib.Path, repo: str, ref: str, path: str) -> list[str]:
    out = subprocess.run(["git", "-C", str(mirror / repo / "repo"), "ls-tree", "--name-only", ref, path + "/"],
                         check=True, capture_output=True, text=True).stdout
    return [p for p in out.split() if p.endswith(".go") and not p.endswith("_test.go")]


def resolve(type_name: str, package: str, known: set[str]) -> str:
    if type_name in SCALARS:
        return type_name
    if "." in type_name:
        return "." + type_name.lstrip(".")
    return f".{package}.{type_name}"


def parse_proto(text: str) -> tuple[str, list[Message]]:
    package = re.search(r"^package\s+([A-Za-z0-9_.]+)\s*;", text, re.M).group(1)
    messages: list[Message] = []
    current: Message | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("//") or not stripped:
            continue
        head = re.match(r"^message\s+(\w+)\s*\{", stripped)
        if head:
            current = Message(package, head.group(1))
            messages.append(current)
            if stripped.endswith("{}"):
                current = None
            continue
        if stripped == "}":
            current = None
            continue
        if current is None:
            continue
        m = FIELD_RE.match(line)
        if m:
            current.fields.append(Field(m.group(1), resolve(m.group(2), package, set()), m.group(3), int(m.group(4))))
            continue
        m = MAP_RE.match(line)
        if m:
            current.fields.append(Field("map", resolve(m.group(2), package, set()), m.group(3), int(m.group(4)),
                                        key=m.group(1)))
            continue
        raise SystemExit(f"unparsed line in {package}: {line!r}")
    return package, messages


STRUCT_RE = re.compile(r"^type\s+(\w+)\s+struct\s*\{")
TAG_RE = re.compile(r"`(.*)`")


def parse_go_structs(sources: list[str]) -> dict[tuple[str, str], GoField]:
    """Map (go struct name, proto field name) -> how encoding/json treats that field."""
    result: dict[tuple[str, str], GoField] = {}
    for text in sources:
        struct: str | None = None
        depth = 0
        for line in text.splitlines():
            if struct is None:
                m = STRUCT_RE.match(line)
                if m:
                    code = TAG_RE.sub("", line).split("//")[0]
                    struct, depth = m.group(1), code.count("{") - code.count("}")
                    if depth <= 0:
                        struct = None
                continue
            code = TAG_RE.sub("", line).split("//")[0]
            depth += code.count("{") - code.count("}")
            if depth <= 0:
                struct = None
                continue
            tag = TAG_RE.search(line)
            if not tag or "protobuf:" not in tag.group(1):
                continue
            proto_name = re.search(r'protobuf:"[^"]*name=([A-Za-z0-9_]+)', tag.group(1))
            json_tag = re.search(r'json:"([^"]*)"', tag.group(1))
            if not proto_name:
                continue
            decl = line[: tag.start()].split("//")[0].split()
            if json_tag:
                parts = json_tag.group(1).split(",")
            elif len(decl) == 1:
                parts = ["", "inline"]  # untagged embedded struct: Go promotes its fields
            else:
                parts = [decl[0]]  # untagged field: Go uses the field name, never omits it
            go_type = decl[-1] if decl else ""
            if go_type.startswith("*"):
                kind = "pointer"
            elif go_type.startswith("[]") and go_type != "[]byte":
                kind = "slice"
            elif go_type.startswith("map["):
                kind = "map"
            else:
                kind = "value"
            result[(struct, proto_name.group(1))] = GoField(
                json_name=parts[0], omitempty="omitempty" in parts[1:], inline="inline" in parts[1:], kind=kind,
                any_string=go_type.lstrip("*[]") == "AnyString")
    return result


def json_options(msg: Message, f: Field, go: GoField | None, notes: list[str]) -> list[str]:
    """Field options that tell our transcoder what Go's encoding/json would do."""
    opts: list[str] = []
    if go is None:
        return opts
    if go.inline:
        opts.append("(argors.json.field).inline = true")
        return opts
    if go.json_name == "-":
        # the Go type writes its own JSON; the transcoder has a hook for it
        return opts
    if go.json_name and go.json_name != f.name:
        opts.append(f'json_name = "{go.json_name}"')
        notes.append(f"{msg.name}.{f.name} -> json {go.json_name}")
    if go.any_string:
        opts.append("(argors.json.field).any_string = true")
    is_message = f.label == "optional" and f.type not in SCALARS
    if f.label in ("repeated", "map") or go.kind in ("slice", "map"):
        if not go.omitempty:
            opts.append("(argors.json.field).always = true")
    elif go.kind == "pointer":
        if not is_message:
            opts.append("(argors.json.field).presence = true")
        elif not go.omitempty:
            opts.append("(argors.json.field).always = true")
    elif is_message or not go.omitempty:
        # a Go value struct is never omitted; a value scalar without omitempty neither
        opts.append("(argors.json.field).always = true")
    return opts


def render_type(t: str, package: str) -> str:
    if t in SCALARS:
        return t
    if t.startswith(f".{package}.") and t.count(".") == package.count(".") + 2:
        return t[len(package) + 2:]
    return t


def main() -> None:
    mirror = pathlib.Path(sys.argv[1])
    out_dir = pathlib.Path(sys.argv[2])
    by_name: dict[str, Message] = {}
    order: dict[str, list[Message]] = {}
    out_file: dict[str, str] = {}
    go_fields: dict[str, dict[tuple[str, str], GoField]] = {}
    for repo, ref, proto_path, go_dir, out in SOURCES:
        package, messages = parse_proto(git_show(mirror, repo, ref, proto_path))
        order[package] = messages
        out_file[package] = out
        for m in messages:
            by_name[m.full] = m
        go_sources = [git_show(mirror, repo, ref, p) for p in git_ls(mirror, repo, ref, go_dir)
                      if not p.endswith(".pb.go") and "zz_generated" not in p]
        go_fields[package] = parse_go_structs(go_sources)

    roots = [m.full for m in order[ARGO_PACKAGE]]
    roots += [f".{EVENTS_PACKAGE}.{n}" for n in EVENTS_ROOTS]
    for svc in sorted((out_dir / "services").glob("*.proto")):
        roots += ["." + t.lstrip(".") for t in re.findall(r"\.?((?:k8s\.io|github\.com)[A-Za-z0-9_.]*\.[A-Z]\w*)",
                                                          svc.read_text())]
    needed: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        if name not in by_name:
            raise SystemExit(f"unknown message {name}")
        needed.add(name)
        stack += [f.type for f in by_name[name].fields if f.type not in SCALARS]

    notes: list[str] = []
    for package, messages in order.items():
        kept = [m for m in messages if m.full in needed]
        if not kept:
            continue
        imports = sorted({out_file[f.type[1:].rsplit(".", 1)[0]] for m in kept for f in m.fields
                          if f.type not in SCALARS and f.type[1:].rsplit(".", 1)[0] != package})
        lines = ["// " + HEADERS[package],
                 "// Interface extracted by proto/tools/schema_extract.py (names, numbers, types only);",
                 "// the (argors.json.field) options record how Go's encoding/json writes each field.",
                 "// Regenerate with the tool rather than editing by hand.",
                 'syntax = "proto2";', "", f"package {package};", "",
                 'import "argors/json.proto";']
        lines += [f'import "{i}";' for i in imports]
        lines.append("")
        go = go_fields[package]
        for m in sorted(kept, key=lambda m: m.name):
            if not m.fields:
                lines.append(f"message {m.name} {{}}")
                continue
            lines.append(f"message {m.name} {{")
            for f in sorted(m.fields, key=lambda f: f.number):
                t = render_type(f.type, package)
                if (m.name, f.name) not in go:
                    notes.append(f"no Go field for {package}.{m.name}.{f.name}")
                opts = json_options(m, f, go.get((m.name, f.name)), notes)
                suffix = f" [{', '.join(opts)}]" if opts else ""
                if f.label == "map":
                    lines.append(f"  map<{f.key}, {t}> {f.name} = {f.number}{suffix};")
                else:
                    lines.append(f"  {f.label} {t} {f.name} = {f.number}{suffix};")
            lines.append("}")
        target = out_dir / out_file[package]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n")
        print(f"{target}: {len(kept)} of {len(messages)} messages")
    for n in notes:
        print(n)


if __name__ == "__main__":
    main()
