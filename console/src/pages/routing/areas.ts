/**
 * The console's two routing tabs. Seed 000's Financial Data tab serves the capabilities of the `financial_data`
 * feature; the same screens serve every other capability under "Provider routing". A capability belongs to the tab
 * whose feature it names.
 */
export type RoutingArea = {
  /** The tenant feature its capabilities name. */
  feature: string;
  /** The console path of the tab; its routes live under `<path>/routes/…`. */
  path: string;
  title: string;
  intro: string;
  /** Used in "Your subscription needs the … capability to …". */
  what: string;
};

export const routingAreas: RoutingArea[] = [
  {
    feature: 'financial_data',
    path: '/financial-data',
    title: 'Financial Data',
    intro:
      'Financial data provider routing: a primary and fallback providers per capability, what happens on a rate ' +
      'limit, and how answers from several providers are fused.',
    what: 'configure financial data provider routing',
  },
  {
    feature: 'provider_routing',
    path: '/provider-routing',
    title: 'Provider routing',
    intro:
      'Route a capability across several connections: a primary and fallback providers, load balancing or ' +
      'conditions, what happens on a rate limit, and fusion of their answers.',
    what: 'configure provider routing',
  },
];

export const areaOf = (feature: string): RoutingArea | undefined => routingAreas.find((a) => a.feature === feature);
