import { counterSubject } from '../../deliveries/alarm-rule-kinds.ts';
import { shownDuration, type AlarmEvaluator } from './alarm-evaluator.ts';
import { outcomesInWindow } from './outcome-window.ts';

/** `callbacks_failing`: failed attempts of the app's result callbacks (retried or given up) within the window. */
export const evaluateCallbacksFailing: AlarmEvaluator<'callbacks_failing'> = async ({ database, nowMs, appId, params }) => {
  const counts = await outcomesInWindow(database, { appId, nowMs, windowSeconds: params.windowSeconds, subjects: [counterSubject.callbacks] });
  const { succeeded, failed } = counts.get(counterSubject.callbacks) ?? { succeeded: 0, failed: 0 };
  return [
    {
      subject: 'callbacks',
      label: 'result callbacks',
      state: failed >= params.failuresAtLeast ? 'firing' : 'clear',
      value: failed,
      data: { value: String(failed), threshold: `≥ ${params.failuresAtLeast}`, window: shownDuration(params.windowSeconds), succeeded },
    },
  ];
};
