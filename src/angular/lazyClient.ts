/**
 * A client whose code loads on its first use: the app's initial bundle holds five small methods, and
 * the client (submitting, polling, validation) comes in its own chunk when a page first needs it.
 *
 * @module
 */
import { defer, type Observable, switchMap } from 'rxjs';
import type { RunwareClient } from '../client/createRunwareClient.js';

/**
 * A `RunwareClient` that calls the one `load()` gives, loading it on the first subscription (once; again
 * after a failed load, such as a chunk the network dropped). Each call is cold as the client's own: a
 * malformed argument fails the subscription instead of throwing at call.
 */
export function lazyClient(load: () => Promise<RunwareClient>): RunwareClient {
  let loading: Promise<RunwareClient> | undefined;
  const loaded = defer(() =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    })),
  );
  const use = <T>(call: (client: RunwareClient) => Observable<T>): Observable<T> => loaded.pipe(switchMap(call));
  return {
    watchTask: (taskUUID, options) => use((client) => client.watchTask(taskUUID, options)),
    submit: (task) => use((client) => client.submit(task)),
    run: (task, options) => use((client) => client.run(task, options)),
    getResponse: (taskUUID) => use((client) => client.getResponse(taskUUID)),
    resume: (options) => use((client) => client.resume(options)),
  };
}
