/**
 * A minimal standalone component rendering one task's progress. `toSignal` subscribes when the component
 * is created and unsubscribes when it is destroyed, which cancels the watch. With the async pipe instead,
 * expose the Observable and write `@if (view$ | async; as v)` (AsyncPipe from @angular/common in `imports`).
 */
import { ChangeDetectionStrategy, Component, computed, inject, input, type Signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { filter, switchMap } from 'rxjs';
import { VideoProgressService, type TaskView } from './video-progress.service.js';

@Component({
  selector: 'app-video-progress',
  standalone: true,
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (view(); as v) {
      <h3>Task {{ v.taskUUID }}</h3>
      <ul>
        @for (g of v.generations; track g.index) {
          <li>
            #{{ g.index }}:
            @switch (g.state) {
              @case ('rendering') { rendering {{ g.progress ?? '' }} }
              @case ('ready') { <a [href]="g.videoURL">ready</a> }
              @case ('failed') { failed ({{ g.error }}) }
            }
          </li>
        }
      </ul>
      @if (v.done) { <p>All done.</p> }
    }
  `,
})
export class VideoProgressComponent {
  /** The task to show. */
  readonly taskUUID = input.required<string>();
  /** How many videos the task was asked for. */
  readonly numberResults = input(1);

  private readonly service = inject(VideoProgressService);

  /**
   * The view model as a signal. When an input changes, switchMap unsubscribes the previous watch
   * (cancelling it) before starting the next; when the component is destroyed, toSignal unsubscribes.
   */
  readonly view: Signal<TaskView | undefined> = toSignal(
    toObservable(computed(() => ({ taskUUID: this.taskUUID(), numberResults: this.numberResults() }))).pipe(
      switchMap(({ taskUUID, numberResults }) => this.service.progress(taskUUID, numberResults)),
    ),
  );

  constructor() {
    // A side effect with its own subscription, cancelled on destroy as well.
    toObservable(this.taskUUID)
      .pipe(
        switchMap((taskUUID) => this.service.progress(taskUUID, this.numberResults())),
        filter((view) => view.done),
        takeUntilDestroyed(),
      )
      .subscribe((view) => console.info(`task ${view.taskUUID} finished`));
  }
}
