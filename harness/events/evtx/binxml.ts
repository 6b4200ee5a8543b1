import type { ChunkLoader } from './chunk.ts';
import { Cursor } from './cursor.ts';
import { EvtxFormatError } from './errors.ts';
import { templateElement, type Instance, type Part, type TAttr, type TElement } from './template.ts';
import { JsonBuilder, type Json } from './to-json.ts';
import { decodeInlineValue, decodeValue, type BinValue } from './values.ts';

/** Nesting limits: real events nest a handful deep; these stop crafted loops and stack overflows. */
const MAX_ELEMENT_DEPTH = 128;
const MAX_TEMPLATE_DEPTH = 16;
const MAX_VALUES = 4096;
const NO_VALUES: readonly BinValue[] = [];

/**
 * Parsed template bodies shared across chunks and files, keyed by the definition's chunk
 * offset (whether a name is defined inline depends on where it is) and the first 32 bits
 * of its GUID, and used only when its size and bytes are equal too and every name it takes by offset from elsewhere
 * in the chunk reads the same in this chunk (a name given by offset means something else
 * in another chunk). Bodies that instantiate other templates are not shared. Bounded,
 * oldest dropped first.
 */
interface SharedTemplate {
  readonly bytes: Buffer;
  /** Names the body takes from outside its bytes: chunk offset, text. */
  readonly names: ReadonlyArray<readonly [number, string]>;
  readonly body: readonly Part[];
}
const SHARED_TEMPLATES = new Map<number, SharedTemplate>();
const MAX_SHARED_TEMPLATES = 1024;
const MAX_SHARED_TEMPLATE = 16 * 1024;


const enum Tok {
  EOF = 0x00,
  OpenStart = 0x01,
  CloseStart = 0x02,
  CloseEmpty = 0x03,
  End = 0x04,
  Value = 0x05,
  Attribute = 0x06,
  CData = 0x07,
  CharRef = 0x08,
  EntityRef = 0x09,
  PiTarget = 0x0a,
  PiData = 0x0b,
  TemplateInstance = 0x0c,
  NormalSub = 0x0d,
  OptionalSub = 0x0e,
  FragmentHeader = 0x0f,
}

/**
 * Binary XML of one chunk: names and template definitions are read from the
 * chunk by offset and cached for the chunk's lifetime (the chunk's string and
 * template tables point into the same space).
 */
export class ChunkBinXml {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, readonly Part[]>();
  /** The definitions being parsed, outermost first (a handful at most: MAX_TEMPLATE_DEPTH). */
  private readonly parsing: number[] = [];

  /** Parts and values to JSON; a BinXml value is parsed (without dependency ids) where it is used. */
  private readonly json = new JsonBuilder(this);
  /** While a template definition is parsed: whether it can be shared (it instantiates no other template). */
  private shareable = true;
  /** While a template definition is parsed: the names it took by offset from outside its bytes. */
  private outsideNames: Array<readonly [number, string]> | undefined;

  constructor(
    private chunk: Cursor,
    /** Names and definitions are read by chunk offset: past the records, the bytes may not be read yet. */
    private loader: ChunkLoader,
  ) {}

  /** This reader for another chunk, nothing of the last one kept (a file's reader is set up once, not per chunk). */
  reuse(chunk: Cursor, loader: ChunkLoader): this {
    this.chunk = chunk;
    this.loader = loader;
    this.names.clear();
    this.templates.clear();
    this.parsing.length = 0;
    this.shareable = true;
    this.outsideNames = undefined;
    return this;
  }

  /** The parts of an embedded Binary XML value (without dependency ids), `templateDepth` instances deep. */
  fragment(c: Cursor, templateDepth: number): readonly Part[] {
    return this.content(c, 0, templateDepth, false, true);
  }

  /** The JSON of a record's Binary XML (its fragment): `{"Event": …}`; undefined when it holds no element. */
  record(c: Cursor): Record<string, Json> | undefined {
    return this.json.record({ body: this.content(c, 0, 0, true, true), values: NO_VALUES, depth: 0 });
  }

  private name(c: Cursor): string {
    const offset = c.u32();
    if (offset === c.pos) {
      // Inline definition: next-offset, hash, length, UTF-16 text, NUL.
      c.u32();
      c.u16();
      const len = c.u16();
      const text = c.utf16(len);
      c.u16();
      this.names.set(offset, text);
      return text;
    }
    const text = this.nameAt(offset);
    // A name from outside the bytes being parsed: a template body read now depends on it.
    this.outsideNames?.push([offset, text]);
    return text;
  }

  /** The name defined at a chunk offset. */
  private nameAt(offset: number): string {
    const known = this.names.get(offset);
    if (known !== undefined) return known;
    const at = this.chunk.at(offset, this.chunk.bytes.length);
    this.loader.load(offset + 8);
    at.u32();
    at.u16();
    const length = at.u16();
    this.loader.load(at.pos + length * 2);
    const text = at.utf16(length);
    this.names.set(offset, text);
    return text;
  }

  /** Whether every name a shared body took from outside its bytes reads the same in this chunk. */
  private sameNames(names: ReadonlyArray<readonly [number, string]>): boolean {
    for (const [offset, text] of names) if (!this.nameIs(offset, text)) return false;
    return true;
  }

  /** Whether the name defined at a chunk offset is `text`: compared in place, nothing decoded (a new chunk checks every shared body's names). */
  private nameIs(offset: number, text: string): boolean {
    const known = this.names.get(offset);
    if (known !== undefined) return known === text;
    const start = offset + 8;
    const end = start + text.length * 2;
    this.loader.load(end);
    const { bytes, view } = this.chunk;
    if (offset < 0 || end > bytes.length || view.getUint16(offset + 6, true) !== text.length) return false;
    for (let i = 0; i < text.length; i++) if (view.getUint16(start + i * 2, true) !== text.charCodeAt(i)) return false;
    return true;
  }


  /**
   * Tokens up to the end of the enclosing element (End) or of the fragment (EOF),
   * as parts. `top` is true for a whole fragment, which ends at EOF or its bytes' end.
   */
  private content(c: Cursor, depth: number, templateDepth: number, withDependency: boolean, top: boolean): Part[] {
    const parts: Part[] = [];
    while (c.pos < c.end) {
      const token = c.bytes[c.pos]!;
      const base = token & 0x0f;
      const hasMore = (token & 0x40) !== 0;
      if (token & 0xb0) throw new EvtxFormatError(`unknown Binary XML token 0x${token.toString(16)}`, c.pos);
      switch (base as Tok) {
        case Tok.EOF:
          c.pos++;
          if (!top) throw new EvtxFormatError('fragment ended inside an element', c.pos - 1);
          return parts;
        case Tok.End:
          c.pos++;
          if (top) throw new EvtxFormatError('end of element outside any element', c.pos - 1);
          return parts;
        case Tok.OpenStart:
          parts.push({ k: 'element', el: this.element(c, hasMore, depth + 1, templateDepth, withDependency) });
          break;
        case Tok.FragmentHeader:
          c.pos++;
          c.skip(3);
          break;
        case Tok.TemplateInstance:
          c.pos++;
          this.shareable = false;
          parts.push({ k: 'instance', inst: this.templateInstance(c, templateDepth + 1) });
          break;
        case Tok.PiTarget:
          c.pos++;
          this.name(c);
          break;
        case Tok.PiData:
          c.pos++;
          c.utf16(c.u16());
          break;
        case Tok.Value:
        case Tok.CData:
        case Tok.CharRef:
        case Tok.EntityRef:
        case Tok.NormalSub:
        case Tok.OptionalSub:
          parts.push(this.valuePart(c));
          break;
        case Tok.CloseStart:
        case Tok.CloseEmpty:
        case Tok.Attribute:
          throw new EvtxFormatError(`unexpected Binary XML token 0x${token.toString(16)}`, c.pos);
        default:
          throw new EvtxFormatError(`unknown Binary XML token 0x${token.toString(16)}`, c.pos);
      }
    }
    if (top) return parts;
    throw new EvtxFormatError('element not closed before the end of its data', c.pos);
  }

  private valuePart(c: Cursor): Part {
    const token = c.u8() & 0x0f;
    switch (token) {
      case Tok.Value:
        return { k: 'value', v: decodeInlineValue(c.u8(), c) };
      case Tok.CData:
        return { k: 'value', v: c.utf16(c.u16()) };
      // The crate's export keeps references as written: `&#NN;`, `&name;`.
      case Tok.CharRef:
        return { k: 'value', v: `&#${c.u16()};` };
      case Tok.EntityRef:
        return { k: 'value', v: `&${this.name(c)};` };
      case Tok.NormalSub:
      case Tok.OptionalSub: {
        const index = c.u16();
        c.u8(); // declared type: the instance's descriptor says what the value is
        return { k: 'sub', index, optional: token === Tok.OptionalSub };
      }
      default:
        throw new EvtxFormatError(`token 0x${token.toString(16)} is not a value`, c.pos - 1);
    }
  }

  private element(c: Cursor, hasAttributes: boolean, depth: number, templateDepth: number, withDependency: boolean): TElement {
    if (depth > MAX_ELEMENT_DEPTH) throw new EvtxFormatError(`elements nest deeper than ${MAX_ELEMENT_DEPTH}`, c.pos);
    const start = c.pos;
    c.pos++;
    if (withDependency) c.u16();
    const size = c.u32();
    if (size > c.end - c.pos) throw new EvtxFormatError(`element size ${size} runs past its data (${c.end - c.pos} bytes left)`, start);
    const name = this.name(c);
    const attrs: TAttr[] = [];
    if (hasAttributes) {
      c.u32(); // attribute list size: the tokens delimit the list themselves
      for (;;) {
        const t = c.bytes[c.pos];
        if (t === undefined || c.pos >= c.end || (t & 0x0f) !== Tok.Attribute) break;
        c.pos++;
        const attrName = this.name(c);
        const parts: Part[] = [];
        while (c.pos < c.end && isValueToken(c.bytes[c.pos]!)) parts.push(this.valuePart(c));
        attrs.push({ name: attrName, parts });
        if ((t & 0x40) === 0) break;
      }
    }
    const close = c.u8();
    if (close === Tok.CloseEmpty) return templateElement(name, attrs, []);
    if (close !== Tok.CloseStart) throw new EvtxFormatError(`element '${name}': expected the end of its start tag, found token 0x${close.toString(16)}`, c.pos - 1);
    return templateElement(name, attrs, this.content(c, depth, templateDepth, withDependency, false));
  }

  private templateInstance(c: Cursor, templateDepth: number): Instance {
    if (templateDepth > MAX_TEMPLATE_DEPTH) throw new EvtxFormatError(`template instances nest deeper than ${MAX_TEMPLATE_DEPTH}`, c.pos);
    c.u8();
    c.u32(); // template id
    const defOffset = c.u32();
    let body: readonly Part[];
    if (defOffset === c.pos) {
      body = this.definition(defOffset, templateDepth);
      c.u32();
      c.skip(16);
      c.skip(c.u32());
    } else {
      body = this.definition(defOffset, templateDepth);
    }
    const count = c.u32();
    if (count > MAX_VALUES || count * 4 > c.end - c.pos) throw new EvtxFormatError(`template instance declares ${count} values, more than its data holds`, c.pos - 4);
    // Descriptors (size u16, type u8, padding u8) first, then the values they describe.
    const descriptors = c.pos;
    c.pos += count * 4;
    const values: BinValue[] = new Array<BinValue>(count);
    for (let i = 0; i < count; i++) values[i] = decodeValue(c.bytes[descriptors + i * 4 + 2]!, c.view.getUint16(descriptors + i * 4, true), c);
    return { body, values, depth: templateDepth };
  }

  private definition(offset: number, templateDepth: number): readonly Part[] {
    const cached = this.templates.get(offset);
    if (cached) return cached;
    if (this.parsing.includes(offset)) throw new EvtxFormatError(`template at chunk offset ${offset} contains itself`, offset);
    this.parsing.push(offset);
    try {
      const at = this.chunk.at(offset, this.chunk.bytes.length);
      this.loader.load(offset + 24);
      at.u32();
      at.need(20);
      const size = at.view.getUint32(at.pos + 16, true);
      this.loader.load(at.pos + 20 + size);
      // The same template (GUID, size and bytes) recurs in every chunk of a log and across logs.
      at.need(20 + size);
      // A number key hashes at once; the bytes decide.
      const key = at.view.getUint32(at.pos, true) * 0x10000 + (offset & 0xffff);
      const start = at.pos + 20;
      const shared = SHARED_TEMPLATES.get(key);
      if (shared && shared.bytes.length === size && at.buf.compare(shared.bytes, 0, size, start, start + size) === 0 && this.sameNames(shared.names)) {
        this.templates.set(offset, shared.body);
        return shared.body;
      }
      at.pos = start;
      const outerShareable = this.shareable;
      const outerNames = this.outsideNames;
      this.shareable = true;
      const names: Array<readonly [number, string]> = [];
      this.outsideNames = names;
      try {
        const body = this.content(at.sub(size), 0, templateDepth, true, true);
        if (this.shareable && size <= MAX_SHARED_TEMPLATE) {
          if (SHARED_TEMPLATES.size >= MAX_SHARED_TEMPLATES) SHARED_TEMPLATES.delete(SHARED_TEMPLATES.keys().next().value!);
          // Each outside name once (a body takes `Data` and `Name` once per field): a later chunk checks them all.
          SHARED_TEMPLATES.set(key, { bytes: Buffer.from(at.buf.subarray(start, start + size)), names: [...new Map(names)], body });
        }
        this.templates.set(offset, body);
        return body;
      } finally {
        this.shareable = outerShareable;
        this.outsideNames = outerNames;
      }
    } finally {
      this.parsing.pop();
    }
  }
}

function isValueToken(t: number): boolean {
  const base = t & 0x0f;
  return (t & 0xb0) === 0 && (base === Tok.Value || base === Tok.CData || base === Tok.CharRef || base === Tok.EntityRef || base === Tok.NormalSub || base === Tok.OptionalSub);
}
