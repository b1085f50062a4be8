import { ElMessage, ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import { messageOf } from '../api/problem';

/** Shows a failed request's problem message (Herald's `detail`), long enough to read it. */
export function showProblem(error: unknown): void {
  ElMessage({ type: 'error', message: messageOf(error), duration: 8000, showClose: true });
}

export function showSuccess(message: string): void {
  ElMessage({ type: 'success', message });
}

/** Runs a write after the user confirms it; false when they cancel. */
export async function confirmed(message: string, title: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title, { type: 'warning' });
    return true;
  } catch {
    return false;
  }
}

/** After the user confirms: the write, then `after` (a reload); a failure of either shows its problem. */
export async function confirmThen(message: string, title: string, write: () => Promise<unknown>, after: () => Promise<unknown>): Promise<void> {
  if (!(await confirmed(message, title))) return;
  try {
    await write();
    await after();
  } catch (error) {
    showProblem(error);
  }
}
