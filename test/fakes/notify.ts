/** One HTTP notification a vendor fake sends: where, with which headers, the exact body (what signatures cover). */
export type Delivery = { url: string; headers: Record<string, string>; body: string };

/** Sends a delivery and answers the receiver's HTTP status (a test may deliver in-process instead of over HTTP). */
export type DeliverySender = (delivery: Delivery) => Promise<number>;

export type WebhookOptions = {
  /** The URL the vendor was told to post to: deliveries go there and signatures cover it. */
  url: string;
  /** The shared secret the vendor signs or authenticates with (HubSpot client secret, Basic pair, Zoho token). */
  secret: string;
  /** Queue notifications until `release` (late, reordered or repeated deliveries); sent at once otherwise. */
  hold?: boolean;
  /** How a delivery is made; an HTTP POST to `url` by default. */
  send?: DeliverySender;
};

export type ReleaseOptions = {
  /** as_sent: in the order the changes happened; reversed: the newest first. */
  order?: 'as_sent' | 'reversed';
  /** Deliver every notification twice (a vendor's retry after a lost acknowledgement). */
  duplicate?: boolean;
};

const post: DeliverySender = async (d) => {
  const res = await fetch(d.url, { method: 'POST', headers: d.headers, body: d.body });
  await res.arrayBuffer();
  return res.status;
};

/**
 * The change notifications of one vendor fake: each change becomes an event; `build` turns events into the vendor's
 * deliveries (HubSpot batches several events in one, others send one each). With `hold`, events wait for `release`,
 * which can reorder and repeat them, so a test can deliver late, out of order or twice.
 */
export function createNotifier<E>(build: (events: E[], options: WebhookOptions) => Delivery[]) {
  let target: WebhookOptions | undefined;
  let held: E[] = [];
  const pending = new Set<Promise<void>>();
  const delivered: { delivery: Delivery; status: number | 'failed' }[] = [];

  async function sendAll(deliveries: Delivery[], to: WebhookOptions) {
    for (const delivery of deliveries) {
      let status: number | 'failed';
      try {
        status = await (to.send ?? post)(delivery);
      } catch {
        status = 'failed';
      }
      delivered.push({ delivery, status });
    }
  }

  // Deliveries go one after another, in the order they were started (a test reorders them on purpose with
  // `release`, never by accident of concurrent sends).
  let chain = Promise.resolve();
  function track(start: () => Promise<void>) {
    const work = chain.then(start);
    chain = work;
    pending.add(work);
    void work.finally(() => pending.delete(work));
    return work;
  }

  return {
    delivered,
    /** Start notifying (replacing an earlier subscription); held events of the earlier one are dropped. */
    subscribe(options: WebhookOptions) {
      target = options;
      held = [];
    },
    unsubscribe() {
      target = undefined;
      held = [];
    },
    /** A change happened: notify now, or keep it for `release`. */
    emit(event: E) {
      const to = target;
      if (!to) return;
      if (to.hold) held.push(event);
      else void track(() => sendAll(build([event], to), to));
    },
    /** How many events wait for `release`. */
    heldCount: () => held.length,
    /** Deliver the held events (and answer once they are all delivered). */
    release(options: ReleaseOptions = {}): Promise<void> {
      const to = target;
      if (!to) return Promise.resolve();
      const events = options.order === 'reversed' ? [...held].reverse() : [...held];
      held = [];
      const deliveries = build(events, to);
      return track(() => sendAll(options.duplicate ? deliveries.flatMap((d) => [d, d]) : deliveries, to));
    },
    /** Resolves once every delivery started so far has been answered. */
    async settled() {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}

export type Notifier<E> = ReturnType<typeof createNotifier<E>>;
