/**
 * Two tables about result items: which fields are an output (so an item without `status` that carries
 * one is a finished generation), and which fields name a generation (so a finished generation is known
 * again in later replies, whatever else about it changed).
 *
 * @module
 */

/** The kinds of media a result carries, each as `<kind>UUID` and in the {@link OUTPUT_SUFFIXES} forms (`videoURL`, `maskImageBase64Data`, ...). */
export const MEDIA_KINDS = ['video', 'image', 'audio', 'media', 'maskImage', 'guideImage'] as const;

/**
 * An item carries an output when a field ends with one of these suffixes (`videoURL`, `imageBase64Data`,
 * `maskImageDataURI`, `guideImageURL`, ...) or is one of {@link OUTPUT_FIELDS}. Ids and `progress` are not
 * outputs: `{taskUUID, imageUUID, progress}` is a progress frame (runware-python's terminal detection).
 */
export const OUTPUT_SUFFIXES = ['URL', 'Base64Data', 'DataURI'] as const;

/** A media field of a result: `videoUUID`, `imageURL`, `maskImageBase64Data`, ... */
export type MediaField = `${(typeof MEDIA_KINDS)[number]}${'UUID' | (typeof OUTPUT_SUFFIXES)[number]}`;

/** Outputs that are not media fields: 3D and training files, text results, models, masks' detections. */
export const OUTPUT_FIELDS = ['outputs', 'text', 'structuredData', 'air', 'detections'] as const;

/** Fields ending like an output that are inputs echoed back, never results. */
const NOT_OUTPUTS: ReadonlySet<string> = new Set(['webhookURL', 'uploadEndpoint', 'inputImageURL']);

/**
 * Fields that identify one finished generation, most specific first: each media kind's UUID
 * (`videoUUID`, ..., `guideImageUUID`), then `air`. `outputs.files[].uuid` (joined) and `resultIndex`
 * follow these.
 */
export const IDENTITY_FIELDS: ReadonlyArray<string> = [...MEDIA_KINDS.map((kind) => `${kind}UUID`), 'air'];

/** True when the item carries a result (see {@link OUTPUT_SUFFIXES} and {@link OUTPUT_FIELDS}). */
export function hasOutput(item: Readonly<Record<string, unknown>>): boolean {
  for (const [field, value] of Object.entries(item)) {
    if (value === undefined || value === '' || NOT_OUTPUTS.has(field)) continue;
    if (OUTPUT_SUFFIXES.some((suffix) => field.endsWith(suffix))) return true;
    if ((OUTPUT_FIELDS as ReadonlyArray<string>).includes(field) && (field !== 'outputs' || hasFiles(value))) return true;
  }
  return false;
}

/**
 * The generation's own name, `field:value`, or `undefined` when it carries none (a processing item, a
 * failure in `errors[]`, a result with only a URL). Never derived from a URL or a message, which may change
 * from one poll to the next for the same generation (signed URLs, reworded failures).
 */
export function generationIdentity(item: Readonly<Record<string, unknown>>): string | undefined {
  for (const field of IDENTITY_FIELDS) {
    const value = item[field];
    if (typeof value === 'string' && value !== '') return `${field}:${value.toLowerCase()}`;
  }
  const files = outputFileIds(item['outputs']);
  if (files.length > 0) return `files:${files.join(',').toLowerCase()}`;
  const index = item['resultIndex'];
  return typeof index === 'number' ? `resultIndex:${index}` : undefined;
}

function outputFileIds(outputs: unknown): string[] {
  if (typeof outputs !== 'object' || outputs === null) return [];
  const files = (outputs as { files?: unknown }).files;
  if (!Array.isArray(files)) return [];
  return files.flatMap((file: unknown) => {
    const uuid = typeof file === 'object' && file !== null ? (file as { uuid?: unknown }).uuid : undefined;
    return typeof uuid === 'string' && uuid !== '' ? [uuid] : [];
  });
}

function hasFiles(outputs: unknown): boolean {
  const files = typeof outputs === 'object' && outputs !== null ? (outputs as { files?: unknown }).files : undefined;
  return Array.isArray(files) && files.length > 0;
}
