/**
 * A standalone component that submits one video task through the app's proxy and shows each
 * generation's progress from the proxy's event stream, and says when the stream is lost (the watch
 * reconnects, polls meanwhile, and goes back to the stream by itself). `injectTaskWatch` ends its
 * watch when the component is destroyed; on the server (SSR) it requests nothing.
 */
import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { toObservable } from '@angular/core/rxjs-interop';
import { injectRunwareClient, injectTaskWatch } from 'runware-rx/angular';

@Component({
  selector: 'app-video-progress',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button type="button" (click)="generate('a red fox in fresh snow')" [disabled]="task.status() === 'watching'">Generate</button>
    @if (taskUUID(); as uuid) { <h3>Task {{ uuid }}</h3> }
    <ul>
      @for (g of task.generations(); track g.index) {
        <li>
          @switch (g.status) {
            @case ('processing') { #{{ g.index }} rendering {{ g.progress ?? '' }} }
            @case ('success') { <a [href]="g.result.videoURL">#{{ g.index }} ready</a> }
            @case ('error') { #{{ g.index }} failed ({{ g.error.code }}) }
          }
        </li>
      }
    </ul>
    @switch (task.connection()) {
      @case ('reconnecting') { <small>Connection lost, reconnecting…</small> }
      @case ('polling') { <small>Live updates unavailable: checking every few seconds.</small> }
    }
    @if (task.status() === 'done') { <p>All done.</p> }
    @if (task.status() === 'failed') { <p>Failed: {{ task.error() }}</p> }
  `,
})
export class VideoProgressComponent {
  private readonly runware = injectRunwareClient();
  readonly taskUUID = signal<string | undefined>(undefined);
  readonly task = injectTaskWatch(toObservable(this.taskUUID), { numberResults: 2 });

  generate(positivePrompt: string): void {
    this.runware.submit({ taskType: 'videoInference', model: 'klingai:5@3', positivePrompt, duration: 5, numberResults: 2 }).subscribe({
      next: (ack) => this.taskUUID.set(ack.taskUUID),
      error: (error: unknown) => console.error(error), // e.g. a RunwareApiError with code 'unauthorized'
    });
  }
}
