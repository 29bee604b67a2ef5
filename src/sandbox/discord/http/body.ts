import type { IncomingMessage } from 'node:http';
import { Errors } from './errors.js';
import type { UploadedFile } from './types.js';

/** A parsed request body. */
export interface ParsedBody {
  body: Record<string, unknown>;
  files: UploadedFile[];
  /** What to put in the record: the JSON as received. */
  recorded: unknown;
}

const EMPTY: ParsedBody = { body: {}, files: [], recorded: undefined };

/**
 * Reads the whole body (bounded) and parses JSON or multipart (`payload_json` + files,
 * as discord.js sends uploads). Unknown content types are ignored.
 *
 * @example
 * ```ts
 * const { body, files } = await readBody(req, 8 * 1024 * 1024);
 * ```
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<ParsedBody> {
  const raw = await collect(req, maxBytes);
  if (raw.length === 0) return EMPTY;
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, type);
  if (!type.includes('json')) return EMPTY;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw Errors.invalidJson();
  }
  if (typeof parsed !== 'object' || parsed === null) throw Errors.invalidJson();
  // Arrays (bulk command overwrite) pass through under a known key.
  const body = Array.isArray(parsed) ? { $array: parsed } : (parsed as Record<string, unknown>);
  return { body, files: [], recorded: parsed };
}

/** Buffers the request body (event-based: cheaper than async iteration on the hot path). */
function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (req.complete && req.readableLength === 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(Errors.invalidForm('body', 'BASE_TYPE_MAX_LENGTH', 'Request entity too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

async function parseMultipart(raw: Buffer, type: string): Promise<ParsedBody> {
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  let body: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') {
        try {
          body = JSON.parse(value) as Record<string, unknown>;
        } catch {
          throw Errors.invalidJson();
        }
      } else {
        body[field] = value;
      }
    } else {
      files.push({ field, filename: value.name, size: value.size });
    }
  }
  return { body, files, recorded: { ...body, files: files.map((f) => f.filename) } };
}
