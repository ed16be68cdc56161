/**
 * A guard in front of the JSON-RPC reader on stdio. vscode-jsonrpc's reader, given a header without
 * Content-Length, reports an error nobody hears and keeps the message's body in its buffer, where the next
 * messages' bytes are then misread: the server stops answering without exiting. This stream passes well-framed
 * messages through unchanged and, at a malformed frame, logs what it dropped and skips to the next
 * `Content-Length:` header, so one bad message costs that message only.
 */
import { Transform, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('content-length:');
/** A header section longer than this is not one. */
const MAX_HEADER_BYTES = 8192;

/** Where the next `Content-Length:` header starts at or after `from` (case-insensitive), or -1. */
function nextHeader(buffer: Buffer, from: number): number {
  const lower = Buffer.from(buffer.toString('latin1').toLowerCase(), 'latin1');
  return lower.indexOf(CONTENT_LENGTH, from);
}

/** How many of the buffer's last bytes could begin a `Content-Length:` header that the next chunk completes. */
function headerPrefixAtEnd(buffer: Buffer): number {
  const tail = buffer
    .subarray(Math.max(0, buffer.length - CONTENT_LENGTH.length + 1))
    .toString('latin1')
    .toLowerCase();
  for (let n = tail.length; n > 0; n--) if (CONTENT_LENGTH.toString('latin1').startsWith(tail.slice(-n))) return n;
  return 0;
}

export class FramingGuard extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private bodyLength = -1;

  constructor(private readonly log: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    this.drain();
    callback();
  }

  private drain(): void {
    for (;;) {
      if (this.bodyLength < 0) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length <= MAX_HEADER_BYTES) return;
          this.skip('a header section with no end');
          continue;
        }
        const length = this.contentLength(this.buffer.subarray(0, end).toString('ascii'));
        if (typeof length === 'string') {
          this.skip(length);
          continue;
        }
        this.push(`Content-Length: ${length}\r\n\r\n`);
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
        this.bodyLength = length;
      }
      if (this.buffer.length < this.bodyLength) return;
      this.push(this.buffer.subarray(0, this.bodyLength));
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = -1;
    }
  }

  /** The Content-Length of a header section, or why it has none. */
  private contentLength(header: string): number | string {
    const lines = header.split('\r\n');
    const field = lines.find((l) => /^content-length\s*:/i.test(l));
    if (!field) return `a message without a Content-Length header (${JSON.stringify(header.slice(0, 80))})`;
    const value = field.slice(field.indexOf(':') + 1).trim();
    return /^\d+$/.test(value)
      ? Number(value)
      : `a Content-Length that is not a number (${JSON.stringify(value.slice(0, 40))})`;
  }

  /**
   * Drops the bytes before the next `Content-Length:` after the buffer's start, and says so. With none in sight,
   * the last few bytes stay: they may be the start of a header the next chunk completes.
   */
  private skip(why: string): void {
    const next = nextHeader(this.buffer, 1);
    const dropped = next >= 0 ? next : Math.max(1, this.buffer.length - headerPrefixAtEnd(this.buffer));
    this.log(`nnlab language server: dropped ${dropped} bytes of input: ${why}`);
    this.buffer = this.buffer.subarray(dropped);
  }
}
