import { createRouter, createWebHistory } from 'vue-router';
import { api, unwrap, whenSessionLost } from './api/client';
import { forgetSession, loadSession, session } from './session';

/** Every page is its own chunk, loaded when first visited; only the shell is in the initial load. */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/setup', name: 'setup', component: () => import('./pages/SetupPage.vue'), meta: { public: true } },
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
    {
      path: '/',
      component: () => import('./layouts/ConsoleLayout.vue'),
      children: [
        { path: '', redirect: { name: 'messages' } },
        { path: 'apps', name: 'apps', component: () => import('./pages/AppsPage.vue') },
        { path: 'channel-accounts', name: 'channel-accounts', component: () => import('./pages/ChannelAccountsPage.vue') },
        { path: 'templates', name: 'templates', component: () => import('./pages/TemplatesPage.vue') },
        { path: 'templates/:code', name: 'template', component: () => import('./pages/TemplateEditPage.vue'), props: true },
        { path: 'messages', name: 'messages', component: () => import('./pages/MessagesPage.vue') },
        { path: 'messages/:id', name: 'message', component: () => import('./pages/MessageDetailPage.vue'), props: true },
        { path: 'message-types', name: 'message-types', component: () => import('./pages/MessageTypesPage.vue') },
        { path: 'receiver-groups', name: 'receiver-groups', component: () => import('./pages/ReceiverGroupsPage.vue') },
        { path: 'subscribers', name: 'subscribers', component: () => import('./pages/SubscribersPage.vue') },
        { path: 'schedules', name: 'schedules', component: () => import('./pages/SchedulesPage.vue') },
        { path: 'announcements', name: 'announcements', component: () => import('./pages/AnnouncementsPage.vue') },
        { path: 'users', name: 'users', component: () => import('./pages/UsersPage.vue') },
        { path: 'dashboard', name: 'dashboard', component: () => import('./pages/DashboardPage.vue') },
        { path: 'alarms', name: 'alarms', component: () => import('./pages/AlarmsPage.vue') },
        { path: 'audit-log', name: 'audit-log', component: () => import('./pages/AuditLogPage.vue') },
      ],
    },
    { path: '/:unknown(.*)', redirect: '/' },
  ],
});

/** Signed-out visitors go to first-run setup while it is open, else to sign-in. */
async function entryPage(): Promise<'setup' | 'login'> {
  const { setupOpen } = await unwrap<{ setupOpen: boolean }>(api.GET('/auth/setup'));
  return setupOpen ? 'setup' : 'login';
}

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  try {
    if (!session.loaded) await loadSession();
  } catch (error) {
    // Herald unreachable or failing: the layout shows the error with a retry instead of a blank page.
    session.loadError = error instanceof Error ? error.message : String(error);
    return true;
  }
  if (session.user) return true;
  return { name: await entryPage(), query: to.fullPath === '/' ? {} : { next: to.fullPath } };
});

whenSessionLost(() => {
  forgetSession();
  void router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath } });
});
