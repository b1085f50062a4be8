import { ref, shallowRef } from 'vue';
import { unwrap } from '../api/client';
import { messageOf } from '../api/problem';

/**
 * A list the API pages by cursor (`{ items, nextCursor }`): `reload` starts over, `more` appends
 * the next page. `fetchPage` makes the request for a cursor (undefined: the first page).
 */
export function useCursorList<T>(fetchPage: (cursor: string | undefined) => Promise<{ data?: unknown; error?: unknown; response: Response }>) {
  const items = shallowRef<T[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const load = async (cursor: string | undefined) => {
    loading.value = true;
    error.value = null;
    try {
      const page = await unwrap<{ items: T[]; nextCursor: string | null }>(fetchPage(cursor));
      items.value = cursor ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
    } catch (failure) {
      error.value = messageOf(failure);
    } finally {
      loading.value = false;
    }
  };
  return { items, nextCursor, loading, error, reload: () => load(undefined), more: () => load(nextCursor.value ?? undefined) };
}
