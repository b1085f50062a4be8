import { computed, reactive } from 'vue';
import { api, setRequestApp, unwrap } from './api/client';
import { ApiProblem } from './api/problem';
import type { AppView, UserView } from './api/views';

/** The signed-in user and the app the console works on; what the navigation and the pages' write actions depend on. */
const ROLE_RANK = { viewer: 0, operator: 1, admin: 2, owner: 3 } as const;
type Role = keyof typeof ROLE_RANK;
const APP_KEY = 'herald.console.app';

export const session = reactive({
  user: null as UserView | null,
  apps: [] as AppView[],
  appId: null as string | null,
  loaded: false,
  loadError: null as string | null,
});

/** Whether the user's role allows an API action (src/http/auth/access.ts: read → viewer, operate → operator, manage → admin). */
export function can(action: 'read' | 'operate' | 'manage'): boolean {
  const role = session.user?.role as Role | undefined;
  if (!role) return false;
  return ROLE_RANK[role] >= { read: 0, operate: 1, manage: 2 }[action];
}
export const canManage = computed(() => can('manage'));
export const canOperate = computed(() => can('operate'));
export const currentApp = computed(() => session.apps.find((app) => app.id === session.appId) ?? null);

/** Loads the session: the user from /auth/me (undefined when not signed in), then the apps. */
export async function loadSession(): Promise<UserView | undefined> {
  try {
    session.user = await unwrap<UserView>(api.GET('/auth/me'));
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) {
      session.user = null;
      session.loaded = true;
      return undefined;
    }
    throw error;
  }
  await loadApps();
  session.loaded = true;
  session.loadError = null;
  return session.user;
}

export async function loadApps(): Promise<void> {
  const { items } = await unwrap<{ items: AppView[] }>(api.GET('/v1/apps'));
  session.apps = items;
  const remembered = localStorage.getItem(APP_KEY);
  selectApp(items.find((app) => app.id === (session.appId ?? remembered))?.id ?? items[0]?.id ?? null);
}

export function selectApp(appId: string | null): void {
  session.appId = appId;
  setRequestApp(appId);
  if (appId) localStorage.setItem(APP_KEY, appId);
}

export function forgetSession(): void {
  session.user = null;
  session.apps = [];
  session.loaded = false;
}
