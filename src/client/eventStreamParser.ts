/**
 * Server-Sent Events read from text chunks, as the HTML standard's event-stream format says: lines,
 * `id`, `event` and `data` fields, comments ignored, a message dispatched at a blank line.
 *
 * @module
 */

/** One dispatched message. `id` is the last id seen on the stream (kept across messages, as EventSource does). */
export interface EventStreamMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/**
 * A parser fed chunks of text in any split (a line, a field, a CRLF may span two chunks); it calls
 * `onMessage` for every complete message.
 */
export function createEventStreamParser(onMessage: (message: EventStreamMessage) => void): (chunk: string) => void {
  let buffer = '';
  let lastId: string | undefined;
  let event = '';
  let data: string[] = [];
  const line = (text: string): void => {
    if (text === '') {
      if (data.length > 0) onMessage({ id: lastId, event: event === '' ? 'message' : event, data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + (text[colon + 1] === ' ' ? 2 : 1));
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
  };
  return (chunk) => {
    buffer += chunk;
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      // A lone CR at the end may be the first half of a CRLF: wait for the next chunk.
      if (end === -1 || (buffer[end] === '\r' && end === buffer.length - 1)) return;
      line(buffer.slice(0, end));
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
    }
  };
}
