/**
 * A template's text as CloudFormation reads it: JSON, or YAML with the short-form intrinsics, with the line of any
 * node on demand and parse errors at `file:line:column`.
 *
 * Two readers, for speed. JSON goes through `JSON.parse` and YAML through js-yaml's event parser (a 20,000-resource
 * template, 3.9 MB of YAML: 0.45 s CPU and 177 MB, where the yaml package takes 3.9 s and 330 MB), each with a lazy
 * index that finds a node's line only when a finding asks for it. Text either refuses, or that uses what they do not
 * read the way the yaml package always has (aliases, several documents), goes to the yaml package, which also says
 * where an error is. YAML that PyYAML accepts and both refuse — a quoted scalar whose continuation lines are indented
 * less than its key, as hand-written `!Sub "…"` UserData often is (cfn-lint and CloudFormation take it) — is re-read
 * with those lines indented, which a quoted scalar's line folding ignores, so the value is the one CloudFormation sees.
 *
 * Over 400 lines as one thing: one reader of template text, whose fast path, fallback and line index must agree on
 * every node; apart, a line number could point at a node the other reader saw differently.
 */
import {
  CORE_SCHEMA,
  EVENT_ID,
  constructFromEvents,
  defineMappingTag,
  defineScalarTag,
  defineSequenceTag,
  getScalarValue,
  parseEvents,
  type Event as YamlEvent,
  type Schema,
} from 'js-yaml';
import type { Document, LineCounter, Node as YamlNode, Tags as YamlTags, YAMLError } from 'yaml';

// The yaml package reads only what js-yaml's events leave (and says where an error is), so it loads on first use:
// it was the largest module `check-template` loaded on a small template (~55 ms of a ~220 ms start, BENCHMARKS.md).
/* eslint-disable @typescript-eslint/no-require-imports */
const yamlPackage = (): typeof import('yaml') => require('yaml') as typeof import('yaml');
/* eslint-enable @typescript-eslint/no-require-imports */

/** A step down into a parsed value: a mapping key or a list index. */
export type PathStep = string | number;

/** A parsed template text: its value, and where its nodes are. */
export interface TemplateSource {
  readonly value: unknown;
  readonly format: 'json' | 'yaml';
  /** Which reader read it: JSON.parse, js-yaml's events, or the yaml package (what the others leave). */
  readonly reader: 'json' | 'events' | 'yaml-package';
  /** The 1-based line of the node at `path` (keys from the top; a mapping entry is the line of its key). */
  lineOf(path: readonly PathStep[]): number | undefined;
}

/** Text that does not parse, with where: `file:line:column: not a readable template: …`. */
export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(
      `${file}${line === undefined ? '' : `:${line}${column === undefined ? '' : `:${column}`}`}: not a readable template: ${reason}`,
    );
    this.name = 'SourceError';
  }
}

/** Repairs of under-indented quoted scalars tried before the text is refused (each is one more parse). */
const MAX_QUOTE_REPAIRS = 50;

/** A short-form intrinsic: its YAML tag (`!Ref`) and how a value under it becomes the long form. */
export interface ShortForm {
  readonly tag: string;
  readonly toLong: (value: unknown) => unknown;
}

/** The short forms, for each reader. */
export interface TemplateTags {
  readonly yaml: YamlTags;
  readonly shortForms: readonly ShortForm[];
}

export function readSource(
  text: string,
  file: string,
  tags: TemplateTags,
  reader: 'fast' | 'diagnostic' = 'fast',
): TemplateSource {
  if (reader === 'fast') {
    if (/^\s*\{/.test(text)) {
      const json = readJson(text);
      if (json !== undefined) return json;
      // Not strict JSON (a trailing comma, a comment): CloudFormation then reads it as YAML, a superset of JSON.
    }
    const fast = readYamlEvents(text, tags.shortForms);
    if (fast !== undefined) return fast;
  }
  return readYaml(text, file, tags.yaml);
}

// ---------------------------------------------------------------------------------------------------------------
// Lines of a text

/** 1-based line of an offset, by binary search over the newline offsets (found once). */
function lineIndex(text: string): (offset: number) => number {
  let newlines: Int32Array | undefined;
  return (offset) => {
    if (newlines === undefined) {
      const found: number[] = [];
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) found.push(at);
      newlines = Int32Array.from(found);
    }
    let low = 0;
    let high = newlines.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((newlines[middle] ?? 0) < offset) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

function readJson(text: string): TemplateSource | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const scanner = new JsonScanner(text);
  const line = lineIndex(text);
  const start = scanner.skipSpace(0);
  return {
    value,
    format: 'json',
    reader: 'json',
    lineOf: (path) => {
      const offset = scanner.find(start, path);
      return offset === undefined ? undefined : line(offset);
    },
  };
}

/**
 * Finds where a node of a valid JSON text starts, reading only the objects on the way and caching each object's
 * members, so asking for every resource of a 20,000-resource template reads the Resources object once.
 */
class JsonScanner {
  private readonly members = new Map<number, Map<string, { key: number; value: number }>>();
  private readonly elements = new Map<number, number[]>();

  constructor(private readonly text: string) {}

  /** Offset of the key (in an object) or the value (in a list) at `path`, starting from the value at `from`. */
  find(from: number, path: readonly PathStep[]): number | undefined {
    let value = from;
    let found = from;
    for (const step of path) {
      const char = this.text[value];
      if (char === '{' && typeof step === 'string') {
        const member = this.membersOf(value).get(step);
        if (member === undefined) return undefined;
        found = member.key;
        value = member.value;
      } else if (char === '[' && typeof step === 'number') {
        const element = this.elementsOf(value)[step];
        if (element === undefined) return undefined;
        found = element;
        value = element;
      } else {
        return undefined;
      }
    }
    return found;
  }

  skipSpace(at: number): number {
    let here = at;
    // JSON whitespace: space, tab, line feed, carriage return.
    for (let code = this.text.charCodeAt(here); code === 32 || code === 9 || code === 10 || code === 13;) {
      here += 1;
      code = this.text.charCodeAt(here);
    }
    return here;
  }

  private membersOf(start: number): Map<string, { key: number; value: number }> {
    const cached = this.members.get(start);
    if (cached !== undefined) return cached;
    const members = new Map<string, { key: number; value: number }>();
    let at = this.skipSpace(start + 1);
    while (this.text[at] === '"') {
      const keyEnd = this.stringEnd(at);
      const raw = this.text.slice(at, keyEnd);
      const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      const value = this.skipSpace(this.skipSpace(keyEnd) + 1);
      // A repeated key: JSON.parse keeps the last, and so does this.
      members.set(key, { key: at, value });
      at = this.skipSpace(this.valueEnd(value));
      if (this.text[at] === ',') at = this.skipSpace(at + 1);
    }
    this.members.set(start, members);
    return members;
  }

  private elementsOf(start: number): number[] {
    const cached = this.elements.get(start);
    if (cached !== undefined) return cached;
    const elements: number[] = [];
    let at = this.skipSpace(start + 1);
    while (at < this.text.length && this.text[at] !== ']') {
      elements.push(at);
      at = this.skipSpace(this.valueEnd(at));
      if (this.text[at] === ',') at = this.skipSpace(at + 1);
    }
    this.elements.set(start, elements);
    return elements;
  }

  /** Offset just past the string that starts at `at`. */
  private stringEnd(at: number): number {
    let here = at + 1;
    for (;;) {
      const quote = this.text.indexOf('"', here);
      if (quote === -1) return this.text.length;
      let backslashes = 0;
      while (this.text[quote - 1 - backslashes] === '\\') backslashes += 1;
      if (backslashes % 2 === 0) return quote + 1;
      here = quote + 1;
    }
  }

  /** Offset just past the value that starts at `at`. */
  private valueEnd(at: number): number {
    const char = this.text[at];
    if (char === '"') return this.stringEnd(at);
    if (char !== '{' && char !== '[') {
      let here = at;
      while (here < this.text.length && !/[\s,}\]]/.test(this.text[here] ?? '')) here += 1;
      return here;
    }
    let depth = 0;
    let here = at;
    while (here < this.text.length) {
      const code = this.text.charCodeAt(here);
      if (code === 34 /* " */) {
        here = this.stringEnd(here);
        continue;
      }
      if (code === 123 /* { */ || code === 91 /* [ */) depth += 1;
      else if (code === 125 /* } */ || code === 93 /* ] */) {
        depth -= 1;
        if (depth === 0) return here + 1;
      }
      here += 1;
    }
    return here;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// YAML, fast: js-yaml's events

const SCHEMAS = new WeakMap<readonly ShortForm[], Schema>();

/** YAML 1.2's core schema (an unquoted date stays text, as expiry tags need) with the short forms. */
function schemaOf(forms: readonly ShortForm[]): Schema {
  const cached = SCHEMAS.get(forms);
  if (cached !== undefined) return cached;
  const tags = forms.flatMap((form) => [
    defineScalarTag(form.tag, { resolve: (source) => form.toLong(source), identify: () => false }),
    defineSequenceTag<unknown[], unknown>(form.tag, {
      create: (): unknown[] => [],
      addItem: (items, item) => {
        items.push(item);
      },
      finalize: (items) => form.toLong(items),
      identify: () => false,
    }),
    defineMappingTag<Record<string, unknown>, unknown>(form.tag, {
      create: (): Record<string, unknown> => ({}),
      addPair: (entries, key, value) => {
        entries[String(key)] = value;
        return '';
      },
      has: (entries, key) => Object.hasOwn(entries, String(key)),
      // Merge keys are not in the core schema; these only serve them.
      keys: () => [],
      get: () => undefined,
      finalize: (entries) => form.toLong(entries),
      identify: () => false,
    }),
  ]);
  const schema = CORE_SCHEMA.withTags(...tags);
  SCHEMAS.set(forms, schema);
  return schema;
}

/**
 * The text read by js-yaml, or undefined for the yaml package to read: an error, an alias (the yaml package bounds
 * what aliases expand to), or anything but one document.
 */
function readYamlEvents(text: string, forms: readonly ShortForm[]): TemplateSource | undefined {
  let events: YamlEvent[];
  let value: unknown;
  try {
    events = parseEvents(text, {});
    let documents = 0;
    for (const event of events) {
      if (event.type === EVENT_ID.ALIAS) return undefined;
      if (event.type === EVENT_ID.DOCUMENT) documents += 1;
    }
    if (documents !== 1) return undefined;
    // json: a repeated key keeps its last value, as JSON.parse and CloudFormation do.
    const values = constructFromEvents(events, { source: text, schema: schemaOf(forms), json: true });
    if (values.length !== 1) return undefined;
    value = values[0];
  } catch {
    return undefined;
  }
  const index = new EventIndex(text, events);
  const line = lineIndex(text);
  return {
    value,
    format: 'yaml',
    reader: 'events',
    lineOf: (path) => {
      const offset = index.find(path);
      return offset === undefined ? undefined : line(offset);
    },
  };
}

/** Where the nodes of a js-yaml event stream start, found by walking it, each mapping's keys indexed once. */
class EventIndex {
  private ends: Int32Array | undefined;
  private readonly members = new Map<number, Map<string, { key: number; value: number }>>();

  constructor(
    private readonly text: string,
    private readonly events: readonly YamlEvent[],
  ) {}

  find(path: readonly PathStep[]): number | undefined {
    // events[0] opens the document; its node follows.
    let node = 1;
    let at = this.offsetOf(node);
    for (const step of path) {
      const event = this.events[node];
      if (event?.type === EVENT_ID.MAPPING && typeof step === 'string') {
        const member = this.membersOf(node).get(step);
        if (member === undefined) return undefined;
        at = this.offsetOf(member.key);
        node = member.value;
      } else if (event?.type === EVENT_ID.SEQUENCE && typeof step === 'number') {
        let item = node + 1;
        for (let index = 0; index < step && this.events[item]?.type !== EVENT_ID.POP; index += 1) {
          item = this.endOf(item) + 1;
        }
        if (this.events[item] === undefined || this.events[item]?.type === EVENT_ID.POP) return undefined;
        at = this.offsetOf(item);
        node = item;
      } else {
        return undefined;
      }
    }
    return at;
  }

  private offsetOf(node: number): number | undefined {
    const event = this.events[node];
    if (event === undefined) return undefined;
    if (event.type === EVENT_ID.SCALAR) return event.tagStart >= 0 ? event.tagStart : event.valueStart;
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) return event.start;
    return undefined;
  }

  /** Index of the last event of the node that starts at `node` (its POP, for a collection). */
  private endOf(node: number): number {
    if (this.ends === undefined) {
      const ends = new Int32Array(this.events.length);
      const open: number[] = [];
      this.events.forEach((event, index) => {
        if (
          event.type === EVENT_ID.MAPPING ||
          event.type === EVENT_ID.SEQUENCE ||
          event.type === EVENT_ID.DOCUMENT
        ) {
          open.push(index);
        } else if (event.type === EVENT_ID.POP) {
          const start = open.pop();
          if (start !== undefined) ends[start] = index;
          ends[index] = index;
        } else {
          ends[index] = index;
        }
      });
      this.ends = ends;
    }
    return this.ends[node] ?? node;
  }

  private membersOf(node: number): Map<string, { key: number; value: number }> {
    const cached = this.members.get(node);
    if (cached !== undefined) return cached;
    const members = new Map<string, { key: number; value: number }>();
    let key = node + 1;
    while (this.events[key] !== undefined && this.events[key]?.type !== EVENT_ID.POP) {
      const event = this.events[key];
      const value = this.endOf(key) + 1;
      if (event?.type === EVENT_ID.SCALAR) members.set(getScalarValue(this.text, event), { key, value });
      key = this.endOf(value) + 1;
    }
    this.members.set(node, members);
    return members;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// YAML, diagnostic: the yaml package

function readYaml(original: string, file: string, customTags: YamlTags): TemplateSource {
  let text = original;
  for (let repairs = 0; ; repairs += 1) {
    const { LineCounter, parseDocument } = yamlPackage();
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { customTags, lineCounter, uniqueKeys: false });
    const [first] = document.errors;
    if (first === undefined) return yamlSource(document, text, file);
    const repaired = repairs < MAX_QUOTE_REPAIRS ? repairQuotedScalar(text, first) : undefined;
    if (repaired === undefined) {
      // An over-indented key gives two errors; the one about the key's own line is the one to show.
      const shown =
        first.code === 'MISSING_CHAR'
          ? first
          : (document.errors.find((error) => error.code === 'MULTILINE_IMPLICIT_KEY') ?? first);
      throw yamlError(file, text, shown, lineCounter);
    }
    text = repaired;
  }
}

function yamlSource(document: Document.Parsed, text: string, file: string): TemplateSource {
  const { isMap, isPair, isScalar, isSeq } = yamlPackage();
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // An alias without its anchor, or aliases that would expand without bound, surface only when converting.
    throw new SourceError(file, error instanceof Error ? error.message : String(error));
  }
  const line = lineIndex(text);
  const children = new WeakMap<object, Map<string, { key: YamlNode; value: unknown }>>();
  const entriesOf = (map: { items: unknown[] }): Map<string, { key: YamlNode; value: unknown }> => {
    const cached = children.get(map);
    if (cached !== undefined) return cached;
    const entries = new Map<string, { key: YamlNode; value: unknown }>();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key))
        entries.set(String(item.key.value), { key: item.key, value: item.value });
    }
    children.set(map, entries);
    return entries;
  };
  return {
    value,
    format: 'yaml',
    reader: 'yaml-package',
    lineOf: (path) => {
      let node: unknown = document.contents;
      let at: YamlNode | undefined = isScalar(node) || isMap(node) || isSeq(node) ? node : undefined;
      for (const step of path) {
        if (isMap(node) && typeof step === 'string') {
          const entry = entriesOf(node).get(step);
          if (entry === undefined) return undefined;
          at = entry.key;
          node = entry.value;
        } else if (isSeq(node) && typeof step === 'number') {
          const item: unknown = node.items[step];
          if (!(isScalar(item) || isMap(item) || isSeq(item))) return undefined;
          at = item;
          node = item;
        } else {
          return undefined;
        }
      }
      const offset = at?.range?.[0];
      return offset === undefined ? undefined : line(offset);
    },
  };
}

/** The first error, at the line and column where the problem is, without the yaml package's own excerpt. */
function yamlError(file: string, text: string, error: YAMLError, lineCounter: LineCounter): SourceError {
  const reason =
    error.code === 'MULTILINE_IMPLICIT_KEY'
      ? 'a key where a value was expected (is this line indented more than the key above it?)'
      : error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
  const unclosed = error.code === 'MISSING_CHAR' ? quotedScalarAt(text, error.pos[0]) : undefined;
  if (unclosed !== undefined) {
    // Point at the opening quote, as PyYAML (cfn-lint) does: the end of the text says nothing about which string.
    const where = lineCounter.linePos(unclosed.start);
    return new SourceError(
      file,
      `a ${unclosed.quote === '"' ? 'double' : 'single'}-quoted string opened here is never closed`,
      where.line,
      where.col,
    );
  }
  const collection = /^Flow (sequence|map)/.test(reason)
    ? unclosedFlowCollection(text, error.pos[0])
    : undefined;
  // A bracket left open is found only at the end of the text; where it was opened is what to fix.
  const where = lineCounter.linePos(collection ?? problemOffset(text, error));
  return new SourceError(file, reason, where.line, where.col);
}

/** The opening bracket of the last flow collection before `before` that has no closing bracket. */
function unclosedFlowCollection(text: string, before: number): number | undefined {
  let found: number | undefined;
  visitTokens(text, (record) => {
    if (record.type !== 'flow-collection' || typeof record.offset !== 'number' || record.offset > before)
      return;
    const end = Array.isArray(record.end) ? (record.end as { source?: unknown }[]) : [];
    if (!end.some((token) => token.source === ']' || token.source === '}')) found = record.offset;
  });
  return found;
}

/** Every token of the yaml package's concrete syntax tree, depth first. */
function visitTokens(text: string, visit: (token: Record<string, unknown>) => void): void {
  const walk = (token: unknown): void => {
    if (typeof token !== 'object' || token === null) return;
    const record = token as Record<string, unknown>;
    visit(record);
    for (const value of Object.values(record)) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object') walk(value);
    }
  };
  for (const token of new (yamlPackage().Parser)().parse(text)) walk(token);
}

/**
 * Where the user has to look. A key on a line indented too far is reported by the yaml package at the start of the
 * scalar above it, a line early; its end is the colon that is wrong. An indentation error is reported at the line's
 * start, where only spaces are: the first character after them is what is misplaced.
 */
function problemOffset(text: string, error: YAMLError): number {
  if (error.code === 'MULTILINE_IMPLICIT_KEY') return error.pos[1];
  let at = error.pos[0];
  while (text[at] === ' ') at += 1;
  return at;
}

/** The quoted scalar token that ends (unclosed) at `end`, found in the yaml package's concrete syntax tree. */
function quotedScalarAt(text: string, end: number): { start: number; quote: string } | undefined {
  let found: { start: number; quote: string } | undefined;
  visitTokens(text, (record) => {
    if (
      found === undefined &&
      (record.type === 'double-quoted-scalar' || record.type === 'single-quoted-scalar') &&
      typeof record.offset === 'number' &&
      typeof record.source === 'string' &&
      record.offset + record.source.length === end
    ) {
      found = { start: record.offset, quote: record.type === 'double-quoted-scalar' ? '"' : "'" };
    }
  });
  return found;
}

/**
 * The text with the continuation lines of an unclosed quoted scalar indented past its key, when the string does
 * close further down (PyYAML reads it; the yaml package stops at the first line indented at or left of the key).
 */
function repairQuotedScalar(text: string, error: YAMLError): string | undefined {
  if (error.code !== 'MISSING_CHAR') return undefined;
  const scalar = quotedScalarAt(text, error.pos[0]);
  if (scalar === undefined) return undefined;
  const close = closingQuote(text, scalar.start, scalar.quote);
  if (close === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', scalar.start) + 1;
  const keyIndent = /^ */.exec(text.slice(lineStart, scalar.start))?.[0].length ?? 0;
  const padding = ' '.repeat(keyIndent + 2);
  const body = text
    .slice(scalar.start, close)
    .replace(/\n([ \t]*)(?=\S|$)/g, (match, indent: string) =>
      indent.length > keyIndent + 1 || indent.includes('\t') ? match : `\n${padding}`,
    );
  return text.slice(0, scalar.start) + body + text.slice(close);
}

/** Offset of the quote that closes the scalar opened at `start`, if the text has one. */
function closingQuote(text: string, start: number, quote: string): number | undefined {
  let at = start + 1;
  while (at < text.length) {
    const char = text[at];
    if (quote === '"' && char === '\\') {
      at += 2;
      continue;
    }
    if (char === quote) {
      if (quote === "'" && text[at + 1] === "'") {
        at += 2;
        continue;
      }
      return at;
    }
    at += 1;
  }
  return undefined;
}
