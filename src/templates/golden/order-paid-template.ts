import type { TemplateContent, VariablesSchema } from '../template-content.ts';

/**
 * The golden template: an "order paid" notification with a heading, bold text, a
 * loop over items with `money` and `date` filters, a link, a `| raw` footer, and a
 * customer note full of injection attempts.
 */
export const orderPaidContent: TemplateContent = {
  title: 'Order {{ order.id }} paid',
  summary: '{{ customer.name }} paid {{ order.total | money: order.currency }}',
  url: 'https://shop.example.com/orders/{{ order.id }}',
  defaultLocale: 'en',
  body: `## Order {{ order.id }} paid

Hi **{{ customer.name }}**, we received your payment of **{{ order.total | money: order.currency }}** on {{ order.paidAt | date: "%Y-%m-%d %H:%M", "Asia/Shanghai" }}.

{% for item in order.items -%}
- {{ item.name }} × {{ item.quantity }}: {{ item.price | money: order.currency }}
{% endfor %}
Note from you: {{ order.note }}

[View your order](https://shop.example.com/orders/{{ order.id }})

{{ shop.footer | raw }}`,
  channels: {
    sms: { templateCode: 'SMS_ORDER_PAID', params: { order: '{{ order.id }}', amount: '{{ order.total | money: order.currency }}' } },
    wechat: {
      templateId: 'wx-order-paid-tpl',
      data: { character_string1: '{{ order.id }}', amount2: '{{ order.total | money: order.currency }}', thing3: '{{ order.note | truncate: 20 }}' },
    },
    wecom: {
      mentions: { userIds: 'shop-ops' },
      news: {
        articles: [
          {
            title: 'Order {{ order.id }} paid by {{ customer.name }}',
            description: '{{ order.note }}',
            url: 'https://shop.example.com/orders/{{ order.id }}',
            picUrl: 'https://shop.example.com/img/{{ order.id }}.png',
          },
          { title: '{{ order.items.size }} items', url: 'https://shop.example.com/orders/{{ order.id }}/items' },
        ],
      },
      textcard: {
        title: 'Order {{ order.id }} paid',
        description: '<div class="gray">{{ order.paidAt | date: "%Y-%m-%d", "Asia/Shanghai" }}</div><div class="normal">{{ customer.name }}: {{ order.note }}</div>',
        url: 'https://shop.example.com/orders/{{ order.id }}',
        btnText: '查看',
      },
      templateCard: {
        title: 'Order {{ order.id }} paid',
        description: '{{ order.total | money: order.currency }}',
        subTitle: '{{ customer.name }}: {{ order.note }}',
        url: 'https://shop.example.com/orders/{{ order.id }}',
      },
    },
    inbox: {
      category: 'orders',
      severity: 'success',
      actions: [
        { label: 'View order {{ order.id }}', url: 'https://shop.example.com/orders/{{ order.id }}' },
        { label: 'Invoice', url: 'https://shop.example.com/orders/{{ order.id }}/invoice' },
      ],
      validForSeconds: 2_592_000,
      data: { orderId: '{{ order.id }}', note: '{{ order.note }}' },
    },
    miniprogram: {
      templateId: 'mp-order-paid-tpl',
      // Subscribe-message amounts take one currency sign and a plain number: no "CN¥", no thousands separator.
      data: { character_string1: '{{ order.id }}', amount2: '{{ order.total }}元' },
      page: 'pages/order/detail?id={{ order.id }}',
    },
  },
};

export const orderPaidVariables: VariablesSchema = [
  { name: 'order', type: 'object', required: true, description: 'The paid order.' },
  { name: 'customer', type: 'object', required: true },
  { name: 'shop', type: 'object', required: true },
];

export const orderPaidData = {
  order: {
    id: 'A-1024',
    total: 1299.5,
    currency: 'CNY',
    paidAt: '2026-01-05T09:30:00Z',
    items: [
      { name: 'Thermos "Hello_World" (350ml)', quantity: 2, price: 199.75 },
      { name: '保温杯 *限量*', quantity: 1, price: 900 },
    ],
    note: '<script>alert(1)</script> *bold* _x_ [link](javascript:alert(1))',
  },
  customer: { name: 'Ada <Lovelace> & Co' },
  shop: { footer: 'Questions? [Contact us](https://shop.example.com/help) · [Win a prize](javascript:alert(2))' },
};
