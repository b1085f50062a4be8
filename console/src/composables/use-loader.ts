import { ref, shallowRef, type Ref } from 'vue';
import { messageOf } from '../api/problem';

/**
 * A page's data with its three states: `loading`, `error` (the problem's message, shown with a
 * retry), and `data` (an empty list is the empty state). `reload` runs the loader again.
 */
export function useLoader<T>(load: () => Promise<T>) {
  const data = shallowRef<T>() as Ref<T | undefined>;
  const loading = ref(false);
  const error = ref<string | null>(null);
  const reload = async () => {
    loading.value = true;
    error.value = null;
    try {
      data.value = await load();
    } catch (failure) {
      error.value = messageOf(failure);
    } finally {
      loading.value = false;
    }
  };
  return { data, loading, error, reload };
}
