// A minimal service worker for Herald's Web Push: serve it from your site (e.g. as /herald-push-sw.js)
// and pass its URL to <herald-inbox web-push-worker="..."> or element.registerWebPush(url).
//
// Herald's payload (src/providers/webpush/webpush-provider.ts, WebPushPayload):
//   { "title": "...", "body": "...", "url"?: "https://...", "data": { "messageId", "deliveryId", "metadata": {} } }

self.addEventListener('push', (event) => {
  const payload = event.data ? event.data.json() : { title: 'New notification', body: '', data: {} };
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      // One notification per message: a push delivered again (at-least-once) replaces it instead of adding another.
      tag: payload.data?.messageId,
      data: { url: payload.url },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url;
  if (!url) return;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => client.url === url);
      return open ? open.focus() : self.clients.openWindow(url);
    })(),
  );
});
