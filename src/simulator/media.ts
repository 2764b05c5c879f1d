/**
 * The files behind the simulator's media URLs: the smallest valid PNG, MP4, MP3 and GLB we can build, so a
 * client that downloads a result gets real bytes with the right magic numbers.
 *
 * @module
 */
import { crc32, deflateSync } from 'node:zlib';

/** The media kinds a generation can produce. */
export type MediaKind = 'video' | 'image' | 'audio' | 'model';

/** File extension and content type of each media kind. */
export const MEDIA_FORMATS: Readonly<Record<MediaKind, { readonly extension: string; readonly contentType: string }>> = {
  video: { extension: 'mp4', contentType: 'video/mp4' },
  image: { extension: 'png', contentType: 'image/png' },
  audio: { extension: 'mp3', contentType: 'audio/mpeg' },
  model: { extension: 'glb', contentType: 'model/gltf-binary' },
};

let cache: Partial<Record<MediaKind, Buffer>> = {};

/**
 * The bytes served for every media file of `kind` (built once, shared): a 1x1 PNG, an empty but valid
 * MP4, one silent MP3 frame, a glTF 2.0 binary with an empty scene. Compare a download with them.
 *
 * @example
 * ```ts run
 * import assert from 'node:assert/strict';
 * import { mediaBytes } from 'runware-rx/simulator';
 *
 * const png = mediaBytes('image');
 * assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG'); // the PNG signature
 * assert.equal(mediaBytes('video').subarray(4, 8).toString('ascii'), 'ftyp'); // an ISO-BMFF (MP4) file
 * console.log(`${png.length}-byte PNG`);
 * ```
 */
export function mediaBytes(kind: MediaKind): Buffer {
  const cached = cache[kind];
  if (cached !== undefined) return cached;
  const built = kind === 'image' ? tinyPng() : kind === 'video' ? tinyMp4() : kind === 'audio' ? tinyMp3() : tinyGlb();
  cache = { ...cache, [kind]: built };
  return built;
}

/** A 1x1 opaque grey PNG: signature, IHDR, one IDAT, IEND. */
function tinyPng(): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: truecolour
  // compression, filter and interlace methods stay 0
  const scanline = Buffer.from([0x00, 0x80, 0x80, 0x80]); // filter byte, then one RGB pixel
  return Buffer.concat([signature, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(scanline)), pngChunk('IEND', Buffer.alloc(0))]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0, 0);
  return Buffer.concat([length, typed, crc]);
}

/** An ISO-BMFF file with `ftyp` and a `moov` holding only an empty movie header: valid, zero length. */
function tinyMp4(): Buffer {
  const ftyp = box('ftyp', Buffer.concat([Buffer.from('isom', 'ascii'), u32(0x200), Buffer.from('isomiso2mp41', 'ascii')]));
  const mvhd = box(
    'mvhd',
    Buffer.concat([
      u32(0), // version 0, flags 0
      u32(0), // creation time
      u32(0), // modification time
      u32(1000), // timescale: ms
      u32(0), // duration
      u32(0x00010000), // rate 1.0
      Buffer.from([0x01, 0x00]), // volume 1.0
      Buffer.alloc(10), // reserved
      ...[0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32), // unity matrix
      Buffer.alloc(24), // pre_defined
      u32(1), // next track id
    ]),
  );
  return Buffer.concat([ftyp, box('moov', mvhd)]);
}

/** One silent MPEG-1 Layer III frame, 128 kbit/s at 44.1 kHz (417 bytes). */
function tinyMp3(): Buffer {
  const frame = Buffer.alloc(417);
  Buffer.from([0xff, 0xfb, 0x90, 0x64]).copy(frame);
  return frame;
}

/** A glTF 2.0 binary (GLB): the 12-byte header and one JSON chunk naming only the asset version. */
function tinyGlb(): Buffer {
  const json = Buffer.from('{"asset":{"version":"2.0"}}'.padEnd(28, ' '), 'utf8'); // chunks are 4-byte aligned
  const chunk = Buffer.concat([u32le(json.length), Buffer.from('JSON', 'ascii'), json]);
  return Buffer.concat([Buffer.from('glTF', 'ascii'), u32le(2), u32le(12 + chunk.length), chunk]);
}

function u32le(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value >>> 0, 0);
  return buffer;
}

function box(type: string, payload: Buffer): Buffer {
  return Buffer.concat([u32(payload.length + 8), Buffer.from(type, 'ascii'), payload]);
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0, 0);
  return buffer;
}
