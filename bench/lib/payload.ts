/**
 * The order the webhook benches send (inbound and outbound alike): about 1 KB of JSON once wrapped in an event,
 * `noteLength` padding it to size.
 */
export function sampleOrder(noteLength: number) {
  return {
    order_id: 'ord_8Xq2Lm',
    customer: { id: 'cus_8Xq2Lm', name: 'Acme Ltd', email: 'billing@acme.test' },
    lines: Array.from({ length: 6 }, (_, i) => ({ sku: `SKU-${1000 + i}`, quantity: i + 1, unit_price: 1999 })),
    note: 'x'.repeat(noteLength),
  };
}
