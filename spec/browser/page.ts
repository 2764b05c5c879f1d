/**
 * The page of the browser test: holds no API key. Submits one async video task with numberResults 2
 * through the app's proxy on its own origin (`/api/runware`, createRunwareProxy in front of the
 * simulator), follows it from the proxy's event stream with watchTaskStream, and renders each
 * generation's progress. `document.body.dataset.state` ends as `done` or `failed` for the driver.
 */
import { firstValueFrom, scan } from 'rxjs';
import { createRunwareClient, watchTaskStream, type GenerationEvent } from 'runware-rx';

const baseUrl = '/api/runware';
const status = document.getElementById('status') as HTMLElement;
const list = document.getElementById('generations') as HTMLElement;

function render(rows: ReadonlyMap<number, GenerationEvent>): void {
  list.replaceChildren(
    ...[...rows.values()].map((event) => {
      const item = document.createElement('li');
      item.dataset['index'] = String(event.index);
      item.dataset['status'] = event.status;
      if (event.status === 'processing') item.textContent = `#${event.index} rendering${event.progress === undefined ? '' : ` ${event.progress}%`}`;
      if (event.status === 'success') {
        const link = document.createElement('a');
        link.href = event.result.videoURL ?? '#';
        link.textContent = `#${event.index} ready`;
        item.append(link);
      }
      if (event.status === 'error') item.textContent = `#${event.index} failed: ${event.error.code}`;
      return item;
    }),
  );
}

async function submit(): Promise<string> {
  // A relative baseUrl and no apiKey: the proxy adds the key; the page's cookies go along.
  const client = createRunwareClient({ baseUrl });
  const ack = await firstValueFrom(client.submit({ taskType: 'videoInference', model: 'klingai:5@3', positivePrompt: 'a red fox in fresh snow', duration: 5, numberResults: 2 }));
  return ack.taskUUID;
}

void submit().then(
  (taskUUID) => {
    status.textContent = `watching ${taskUUID}`;
    watchTaskStream(taskUUID, { baseUrl, numberResults: 2 })
      .pipe(scan((rows, event) => new Map(rows).set(event.index, event), new Map<number, GenerationEvent>()))
      .subscribe({
        next: render,
        error: (error: unknown) => {
          status.textContent = `watch failed: ${String(error)}`;
          document.body.dataset['state'] = 'failed';
        },
        complete: () => {
          status.textContent = 'all generations finished';
          document.body.dataset['state'] = 'done';
        },
      });
  },
  (error: unknown) => {
    status.textContent = String(error);
    document.body.dataset['state'] = 'failed';
  },
);
