/**
 * What a data file reader may read: the rules the editor and the CLI set (size cap, and in an untrusted workspace the
 * folders data may come from) and the workers receive. Plain data; the reader is src/node/datasets/dataFile.ts.
 */
export interface DataAccess {
  /** The size cap in bytes (default DEFAULT_DATA_MAX_MB). */
  maxBytes?: number;
  /** When given, only files inside one of these folders are read (an untrusted workspace's folders). */
  roots?: readonly string[];
}
