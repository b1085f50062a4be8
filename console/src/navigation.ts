import { computed, onBeforeUnmount, ref, watch, type Component } from 'vue';
import type { RouteLocationNormalizedLoaded } from 'vue-router';
import {
  Bell,
  Calendar,
  CollectionTag,
  Connection,
  Document,
  Key,
  Message,
  Notification,
  Odometer,
  Promotion,
  Tickets,
  User,
  UserFilled,
} from '@element-plus/icons-vue';

/** One link of the sidebar: a route by name, its label (an i18n key) and icon; `manage`: admins' and owners' only. */
export interface NavEntry {
  route: string;
  label: string;
  icon: Component;
  manage?: boolean;
}

/** A titled section of the sidebar (`label`: an i18n key). */
export interface NavGroup {
  key: string;
  label: string;
  entries: NavEntry[];
}

/**
 * The console's sections as the sidebar groups them, in the order an operator reaches for them.
 * Admin-only entries are hidden from the others: every request of those pages would be refused.
 */
export const NAV_GROUPS: NavGroup[] = [
  {
    key: 'overview',
    label: 'nav.groups.overview',
    entries: [
      { route: 'dashboard', label: 'dashboard.nav', icon: Odometer },
      { route: 'messages', label: 'nav.messages', icon: Message },
    ],
  },
  {
    key: 'content',
    label: 'nav.groups.content',
    entries: [
      { route: 'templates', label: 'nav.templates', icon: Document },
      { route: 'message-types', label: 'messageTypes.nav', icon: CollectionTag },
      { route: 'receiver-groups', label: 'receiverGroups.nav', icon: Connection },
      { route: 'schedules', label: 'schedules.nav', icon: Calendar },
      { route: 'announcements', label: 'announcements.nav', icon: Notification },
    ],
  },
  { key: 'audience', label: 'nav.groups.audience', entries: [{ route: 'subscribers', label: 'subscribers.nav', icon: User }] },
  { key: 'channels', label: 'nav.groups.channels', entries: [{ route: 'channel-accounts', label: 'nav.channelAccounts', icon: Promotion }] },
  {
    key: 'operations',
    label: 'nav.groups.operations',
    entries: [
      { route: 'alarms', label: 'alarms.nav', icon: Bell },
      { route: 'audit-log', label: 'auditLog.nav', icon: Tickets, manage: true },
    ],
  },
  {
    key: 'administration',
    label: 'nav.groups.administration',
    entries: [
      { route: 'apps', label: 'nav.apps', icon: Key },
      { route: 'users', label: 'users.nav', icon: UserFilled, manage: true },
    ],
  },
];

/**
 * The groups a user sees: entries whose route this build has (a section may not be built yet) and
 * whose role allows them; a group left without entries is not shown.
 */
export function visibleGroups(groups: NavGroup[], allowed: { hasRoute: (name: string) => boolean; canManage: boolean }): NavGroup[] {
  return groups
    .map((group) => ({ ...group, entries: group.entries.filter((entry) => allowed.hasRoute(entry.route) && (!entry.manage || allowed.canManage)) }))
    .filter((group) => group.entries.length > 0);
}

/** Whether `path` is the page at `section` or a page under it (`/templates/order.paid` is under `/templates`). */
export function isUnder(path: string, section: string): boolean {
  return path === section || path.startsWith(`${section.replace(/\/$/, '')}/`);
}

/** Below this width the sidebar shows icons only, and expanding it lays it over the page. */
const NARROW_QUERY = '(max-width: 899px)';
const COLLAPSED_KEY = 'herald.console.navCollapsed';

/**
 * The sidebar's state. On a wide screen it is expanded or collapsed to icons as the user last chose
 * (remembered in this browser); on a narrow one it is collapsed, and expanded only until a link is
 * followed or it is closed, since it then covers the page.
 */
export function useSidebar(route: RouteLocationNormalizedLoaded) {
  const narrowQuery = window.matchMedia(NARROW_QUERY);
  const narrow = ref(narrowQuery.matches);
  const preferCollapsed = ref(localStorage.getItem(COLLAPSED_KEY) === '1');
  const openOnNarrow = ref(false);
  const onWidthChange = (event: MediaQueryListEvent) => {
    narrow.value = event.matches;
    openOnNarrow.value = false;
  };
  narrowQuery.addEventListener('change', onWidthChange);
  onBeforeUnmount(() => narrowQuery.removeEventListener('change', onWidthChange));
  watch(() => route.fullPath, () => (openOnNarrow.value = false));

  const collapsed = computed(() => (narrow.value ? !openOnNarrow.value : preferCollapsed.value));
  const overlaid = computed(() => narrow.value && openOnNarrow.value);
  function toggle(): void {
    if (narrow.value) {
      openOnNarrow.value = !openOnNarrow.value;
      return;
    }
    preferCollapsed.value = !preferCollapsed.value;
    localStorage.setItem(COLLAPSED_KEY, preferCollapsed.value ? '1' : '0');
  }
  function close(): void {
    openOnNarrow.value = false;
  }
  return { collapsed, overlaid, toggle, close };
}
