/**
 * The page of the browser test: submits one async video task with numberResults 2 to the simulator
 * named in the query string, watches it with runware-rx, and renders each generation's progress.
 * `document.body.dataset.state` ends as `done` or `failed` for the driver to wait on.
 */
import { scan } from 'rxjs';
import { watchTask, type GenerationEvent } from 'runware-rx';

const params = new URLSearchParams(location.search);
const baseUrl = params.get('api') ?? '';
const apiKey = params.get('key') ?? '';
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
  const taskUUID = crypto.randomUUID();
  const response = await fetch(baseUrl, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify([
      { taskType: 'videoInference', taskUUID, model: 'klingai:5@3', positivePrompt: 'a red fox in fresh snow', duration: 5, numberResults: 2, deliveryMethod: 'async' },
    ]),
  });
  if (!response.ok) throw new Error(`submit failed: HTTP ${response.status}`);
  return taskUUID;
}

void submit().then(
  (taskUUID) => {
    status.textContent = `watching ${taskUUID}`;
    watchTask(taskUUID, { baseUrl, apiKey, numberResults: 2 })
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
