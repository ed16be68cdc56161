// Draws media/icon.png (128×128 RGBA): a small feed-forward network, 2-3-1 nodes with their edges, over a
// falling cost curve, on a rounded dark-blue tile. Pure Node (zlib for the PNG's deflate stream), 4×4
// supersampling for anti-aliasing. Run: node scripts/e2e/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';

const SIZE = 128;
const SS = 4;
const root = new URL('../..', import.meta.url).pathname;

const layers = [[44, 84].map((y) => [30, y]), [30, 64, 98].map((y) => [64, y]), [[98, 64]]];
const edges = [];
for (let l = 0; l + 1 < layers.length; l++)
  for (const a of layers[l]) for (const b of layers[l + 1]) edges.push([a, b]);
const nodes = layers.flat();
// A cost curve c(x) = a·e^(−x/τ) + floor, drawn across the lower part of the tile.
const curve = (x) => 88 + (1 - Math.exp(-(x - 10) / 16)) * 26;

function segmentDistance(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function roundedRectInside(x, y, r) {
  const cx = Math.max(r, Math.min(SIZE - r, x));
  const cy = Math.max(r, Math.min(SIZE - r, y));
  return Math.hypot(x - cx, y - cy) <= r;
}

/** Colour of one sub-sample as [r, g, b, a] in 0..1, painted back to front. */
function sample(x, y) {
  if (!roundedRectInside(x, y, 22)) return [0, 0, 0, 0];
  const t = y / SIZE;
  let c = [0.09 + 0.03 * t, 0.2 - 0.06 * t, 0.36 - 0.12 * t];
  const over = (rgb, alpha) => {
    c = c.map((v, i) => v * (1 - alpha) + rgb[i] * alpha);
  };
  if (x >= 10 && x <= 118 && Math.abs(y - curve(x)) < 2.2) over([0.98, 0.66, 0.2], 0.9);
  for (const [a, b] of edges) if (segmentDistance(x, y, a, b) < 1.6) over([0.62, 0.8, 1], 0.75);
  for (const [nx, ny] of nodes) {
    const d = Math.hypot(x - nx, y - ny);
    if (d < 10) over([0.62, 0.8, 1], 1);
    if (d < 7.5) over([1, 1, 1], 1);
  }
  return [...c, 1];
}

const rgba = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  rgba[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const [r, g, b, a] = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        acc[0] += r * a;
        acc[1] += g * a;
        acc[2] += b * a;
        acc[3] += a;
      }
    }
    const alpha = acc[3] / (SS * SS);
    const at = row + 1 + x * 4;
    for (let i = 0; i < 3; i++) rgba[at + i] = alpha > 0 ? Math.round((acc[i] / acc[3]) * 255) : 0;
    rgba[at + 3] = Math.round(alpha * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(rgba, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(root, 'media/icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
