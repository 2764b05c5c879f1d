/**
 * What the proxy and the webhook receiver tell the server's logs: every refusal and every failure to
 * use Runware or the hub, as one plain object (for `console`, pino, OpenTelemetry), with the API key
 * and the webhook tokens never in it.
 *
 * @module
 */

/** One refusal or failure of `createRunwareProxy` or `createWebhookReceiver`. */
export interface ServerEvent {
  /** Which endpoint: the browser proxy or the webhook receiver. */
  readonly source: 'proxy' | 'webhooks';
  /** `warn`: a request refused (the caller's doing); `error`: the server could not do its part (Runware, the hub, a watch). */
  readonly level: 'warn' | 'error';
  /** The refusal's code (`crossOrigin`, `fieldNotAllowed`, `forged`, `upstreamUnavailable`, ...). */
  readonly code: string;
  /** The HTTP status answered; 200 for a failure sent on an open event stream. */
  readonly status: number;
  /** What the caller was told. */
  readonly message: string;
  readonly method: string;
  /** The request's path, without its query (where webhook tokens travel). */
  readonly path: string;
  /** The task, for a failed server watch. */
  readonly taskUUID?: string;
  /** The underlying error, for a failure: its name and message (the key redacted in every form). */
  readonly cause?: string;
}

/** A logging hook: `(event) => logger[event.level](event, event.message)` for pino. */
export type ServerEventHandler = (event: ServerEvent) => void;

/** Calls `handler` with `event`; a handler that throws never breaks the request it reports on. */
export function tell(handler: ServerEventHandler | undefined, event: ServerEvent): void {
  try {
    handler?.(event);
  } catch {
    // A logger's failure is not the request's.
  }
}

/**
 * Tells `handler` of a reply's refusal or failure (its `log`), if it has one: `warn` for a 4xx, `error`
 * for a 5xx. `redact` takes the key out of what the caller was told and of the path (the cause is
 * redacted where it is made).
 */
export function tellReply(
  handler: ServerEventHandler | undefined,
  source: ServerEvent['source'],
  reply: { readonly status: number; readonly log?: { readonly code: string; readonly message: string; readonly cause?: string } | undefined },
  request: { readonly method: string; readonly path: string },
  redact: (text: string) => string = (text) => text,
): void {
  if (reply.log === undefined) return;
  const { code, message, cause } = reply.log;
  const level = reply.status >= 500 ? 'error' : 'warn';
  tell(handler, { source, level, code, status: reply.status, message: redact(message), method: request.method, path: redact(request.path), ...(cause === undefined ? {} : { cause }) });
}

/** An error in one line: its name and message, for `cause` (the caller redacts it). */
export function describeCause(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
