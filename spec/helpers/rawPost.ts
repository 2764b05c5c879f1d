/** A plain HTTP POST to a simulator, for tests that look at the wire itself. */
export interface RawReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** POSTs `body` as JSON to `url`, with `Authorization: Bearer <apiKey>` unless `apiKey` is null. */
export async function rawPost(url: string, apiKey: string | null, body: unknown): Promise<RawReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(apiKey === null ? {} : { Authorization: `Bearer ${apiKey}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The shape of a JSON value: primitives become their type name, objects and arrays keep structure. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]));
  return value === null ? 'null' : typeof value;
}
