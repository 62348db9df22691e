import { DatasetArgumentError, assertInteger, describe } from "./errors.js";

/** Typed arrays that map onto a NumPy dtype. */
export type NpyArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array
  | BigUint64Array;

/** NumPy `descr` strings this module reads and writes (all little-endian). */
export type NpyDescr = "<f8" | "<f4" | "<i4" | "<u4" | "<i2" | "<u2" | "|i1" | "|u1" | "<i8" | "<u8";

interface DtypeInfo {
  readonly descr: NpyDescr;
  readonly bytes: number;
  readonly make: (buffer: ArrayBuffer, length: number) => NpyArray;
  readonly write: (view: DataView, offset: number, value: number | bigint) => void;
}

const DTYPES: readonly (DtypeInfo & { readonly ctor: Function })[] = [
  { ctor: Float64Array, descr: "<f8", bytes: 8, make: (b, n) => new Float64Array(b, 0, n), write: (v, o, x) => v.setFloat64(o, x as number, true) },
  { ctor: Float32Array, descr: "<f4", bytes: 4, make: (b, n) => new Float32Array(b, 0, n), write: (v, o, x) => v.setFloat32(o, x as number, true) },
  { ctor: Int32Array, descr: "<i4", bytes: 4, make: (b, n) => new Int32Array(b, 0, n), write: (v, o, x) => v.setInt32(o, x as number, true) },
  { ctor: Uint32Array, descr: "<u4", bytes: 4, make: (b, n) => new Uint32Array(b, 0, n), write: (v, o, x) => v.setUint32(o, x as number, true) },
  { ctor: Int16Array, descr: "<i2", bytes: 2, make: (b, n) => new Int16Array(b, 0, n), write: (v, o, x) => v.setInt16(o, x as number, true) },
  { ctor: Uint16Array, descr: "<u2", bytes: 2, make: (b, n) => new Uint16Array(b, 0, n), write: (v, o, x) => v.setUint16(o, x as number, true) },
  { ctor: Int8Array, descr: "|i1", bytes: 1, make: (b, n) => new Int8Array(b, 0, n), write: (v, o, x) => v.setInt8(o, x as number) },
  { ctor: Uint8Array, descr: "|u1", bytes: 1, make: (b, n) => new Uint8Array(b, 0, n), write: (v, o, x) => v.setUint8(o, x as number) },
  { ctor: BigInt64Array, descr: "<i8", bytes: 8, make: (b, n) => new BigInt64Array(b, 0, n), write: (v, o, x) => v.setBigInt64(o, x as bigint, true) },
  { ctor: BigUint64Array, descr: "<u8", bytes: 8, make: (b, n) => new BigUint64Array(b, 0, n), write: (v, o, x) => v.setBigUint64(o, x as bigint, true) },
];

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGN = 64;
/** NumPy leaves room for axis 0 to grow to this many digits so headers can be rewritten in place. */
const GROWTH_AXIS_MAX_DIGITS = 21;

function pythonShapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

/** The header dictionary text exactly as `np.save` writes it, including padding and the final newline. */
export function npyHeader(descr: NpyDescr, shape: readonly number[]): string {
  if (!DTYPES.some((d) => d.descr === descr)) throw new DatasetArgumentError("descr", `must be one of ${DTYPES.map((d) => d.descr).join(", ")}, got ${describe(descr)}`);
  if (!Array.isArray(shape)) throw new DatasetArgumentError("shape", `must be an array, got ${describe(shape)}`);
  shape.forEach((d, i) => assertInteger(`shape[${i}]`, d, 0));
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pythonShapeRepr(shape)}, }`;
  if (shape.length > 0) header += " ".repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  // magic (6) + version (2) + uint16 length (2) + header + "\n" must be a multiple of 64.
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += " ".repeat((ALIGN - (unpadded % ALIGN)) % ALIGN) + "\n";
  return header;
}

/**
 * Encodes a typed array as a NumPy `.npy` file (format version 1.0, C order, little-endian),
 * byte-identical to what `np.save` writes for the same dtype and shape.
 */
export function encodeNpy(data: NpyArray, shapeArg?: readonly number[]): Uint8Array {
  const info = DTYPES.find((d) => data instanceof d.ctor);
  if (info === undefined) throw new DatasetArgumentError("data", `unsupported array type ${describe(data)}`);
  const shape = shapeArg ?? [data.length];
  if (!Array.isArray(shape)) throw new DatasetArgumentError("shape", `must be an array, got ${describe(shape)}`);
  let count = 1;
  shape.forEach((d, i) => {
    assertInteger(`shape[${i}]`, d, 0);
    count *= d;
  });
  if (count !== data.length) {
    throw new DatasetArgumentError("shape", `[${shape.join(", ")}] holds ${count} values, data has ${data.length}`);
  }
  const header = npyHeader(info.descr, shape);
  if (header.length > 0xffff) throw new DatasetArgumentError("shape", "header too long for format version 1.0");
  const offset = MAGIC.length + 4 + header.length;
  const out = new Uint8Array(offset + data.length * info.bytes);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // DataView writes little-endian on any host, so big-endian machines produce the same file.
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < data.length; i++) info.write(view, offset + i * info.bytes, data[i]!);
  return out;
}

/** A decoded `.npy` file. */
export interface NpyFile {
  readonly descr: NpyDescr;
  readonly shape: readonly number[];
  readonly data: NpyArray;
}

/** Decodes a C-order little-endian `.npy` file (versions 1.0–3.0) of one of the supported dtypes. */
export function decodeNpy(bytes: Uint8Array): NpyFile {
  if (!(bytes instanceof Uint8Array)) throw new DatasetArgumentError("bytes", "must be a Uint8Array");
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new DatasetArgumentError("bytes", "is not a .npy file (bad magic string)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new DatasetArgumentError("bytes", `unsupported .npy version ${major}`);
  }
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(headerStart, headerStart + headerLength),
  );
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DatasetArgumentError("bytes", "has a malformed header");
  }
  if (fortran === "True") throw new DatasetArgumentError("bytes", "Fortran-order arrays are not supported");
  const normalised = descr === "<u1" || descr === "<i1" ? descr.replace("<", "|") : descr;
  const info = DTYPES.find((d) => d.descr === normalised);
  if (info === undefined) throw new DatasetArgumentError("bytes", `unsupported dtype ${descr}`);
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  // (-2, -3) would pass the length check below (6 elements)
  const bad = shape.findIndex((d) => !Number.isSafeInteger(d) || d < 0);
  if (bad >= 0) throw new DatasetArgumentError("bytes", `has shape (${shapeText}): shape[${bad}] is not a non-negative integer`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (bytes.length - dataStart !== count * info.bytes) {
    throw new DatasetArgumentError("bytes", `data length does not match shape (${shapeText}) and dtype ${descr}`);
  }
  // Copy into a fresh, aligned buffer and read little-endian explicitly.
  const buffer = new ArrayBuffer(count * info.bytes);
  const data = info.make(buffer, count);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart, count * info.bytes);
  const read = readerFor(info.descr);
  for (let i = 0; i < count; i++) data[i] = read(dv, i * info.bytes) as never;
  return { descr: info.descr, shape, data };
}

function readerFor(descr: NpyDescr): (v: DataView, o: number) => number | bigint {
  switch (descr) {
    case "<f8":
      return (v, o) => v.getFloat64(o, true);
    case "<f4":
      return (v, o) => v.getFloat32(o, true);
    case "<i4":
      return (v, o) => v.getInt32(o, true);
    case "<u4":
      return (v, o) => v.getUint32(o, true);
    case "<i2":
      return (v, o) => v.getInt16(o, true);
    case "<u2":
      return (v, o) => v.getUint16(o, true);
    case "|i1":
      return (v, o) => v.getInt8(o);
    case "|u1":
      return (v, o) => v.getUint8(o);
    case "<i8":
      return (v, o) => v.getBigInt64(o, true);
    case "<u8":
      return (v, o) => v.getBigUint64(o, true);
  }
}
