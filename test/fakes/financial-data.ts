/**
 * The market data the financial vendor fakes serve: a few symbols, deterministic, each vendor a little apart from
 * the others (prices differ by a few hundredths of a percent), so a fusion of their answers has something to
 * disagree about within a tolerance.
 */
export type Vendor = 'financial_modeling_prep' | 'alpha_vantage' | 'polygon';

export type Company = {
  symbol: string;
  name: string;
  exchange: string;
  mic: string;
  cik: string;
  sector: string;
  industry: string;
  employees: number;
  website: string;
  description: string;
  price: number;
  shares: number;
  revenue: number;
};

export const companies: Record<string, Company> = {
  AAPL: {
    symbol: 'AAPL',
    name: 'Apple Inc.',
    exchange: 'NASDAQ',
    mic: 'XNAS',
    cik: '0000320193',
    sector: 'Technology',
    industry: 'Consumer Electronics',
    employees: 164000,
    website: 'https://www.apple.com',
    description: 'Apple designs, manufactures and markets smartphones, personal computers, tablets and wearables.',
    price: 232.8,
    shares: 15_037_874_000,
    revenue: 416_161_000_000,
  },
  MSFT: {
    symbol: 'MSFT',
    name: 'Microsoft Corporation',
    exchange: 'NASDAQ',
    mic: 'XNAS',
    cik: '0000789019',
    sector: 'Technology',
    industry: 'Software - Infrastructure',
    employees: 228000,
    website: 'https://www.microsoft.com',
    description: 'Microsoft develops and supports software, services, devices and solutions worldwide.',
    price: 478.2,
    shares: 7_433_000_000,
    revenue: 281_724_000_000,
  },
  IBM: {
    symbol: 'IBM',
    name: 'International Business Machines',
    exchange: 'NYSE',
    mic: 'XNYS',
    cik: '0000051143',
    sector: 'Technology',
    industry: 'Information Technology Services',
    employees: 270300,
    website: 'https://www.ibm.com',
    description: 'IBM provides integrated solutions and services worldwide.',
    price: 233.45,
    shares: 929_000_000,
    revenue: 62_753_000_000,
  },
};

/** Each vendor's prices sit a little apart: FMP as listed, Alpha Vantage 0.04 % above, Polygon 0.04 % below. */
const skew: Record<Vendor, number> = { financial_modeling_prep: 1, alpha_vantage: 1.0004, polygon: 0.9996 };

const round = (n: number) => Math.round(n * 100) / 100;

/** The last trading day the fakes know (a Friday) and the session's timestamp (16:00 New York, in ms). */
export const LAST_DAY = '2026-12-04';
export const LAST_CLOSE_MS = Date.parse('2026-12-04T21:00:00Z');

export type Bar = {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number;
};

/** Weekday bars from 2026-11-02 to LAST_DAY, newest last; the last close is the quote's price. */
export function bars(vendor: Vendor, symbol: string): Bar[] {
  const c = companies[symbol] as Company;
  const days: string[] = [];
  for (let t = Date.parse('2026-11-02T00:00:00Z'); t <= Date.parse(`${LAST_DAY}T00:00:00Z`); t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
  }
  return days.map((date, i) => {
    const back = days.length - 1 - i;
    const close = round(c.price * skew[vendor] * (1 - back * 0.002));
    const open = round(close * 0.995);
    return {
      date,
      open,
      high: round(close * 1.004),
      low: round(open * 0.996),
      close,
      volume: 30_000_000 + i * 250_000,
      vwap: round((open + close) / 2),
    };
  });
}

export function quote(vendor: Vendor, symbol: string) {
  const all = bars(vendor, symbol);
  const last = all[all.length - 1] as Bar;
  const previous = all[all.length - 2] as Bar;
  const c = companies[symbol] as Company;
  return { ...last, previous_close: previous.close, change: round(last.close - previous.close), company: c };
}

export type Statement = {
  period_ending: string;
  fiscal_period: string;
  fiscal_year: number;
  revenue: number;
  cost_of_revenue: number;
  gross_profit: number;
  operating_income: number;
  net_income: number;
  eps: number;
  eps_diluted: number;
};

/** Five fiscal years (ending 30 September) or eight quarters, newest first. */
export function statements(symbol: string, period: 'annual' | 'quarter'): Statement[] {
  const c = companies[symbol] as Company;
  const out: Statement[] = [];
  const count = period === 'annual' ? 5 : 8;
  for (let i = 0; i < count; i++) {
    const year = period === 'annual' ? 2026 - i : 2026 - Math.floor((i + 0) / 4);
    const quarter = 4 - (i % 4);
    const month = period === 'annual' ? 9 : [3, 6, 9, 12][quarter - 1]!;
    const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    const revenue = Math.round((period === 'annual' ? c.revenue : c.revenue / 4) * (1 - i * 0.03));
    const net = Math.round(revenue * 0.24);
    out.push({
      period_ending: end,
      fiscal_period: period === 'annual' ? 'FY' : `Q${quarter}`,
      fiscal_year: year,
      revenue,
      cost_of_revenue: Math.round(revenue * 0.54),
      gross_profit: Math.round(revenue * 0.46),
      operating_income: Math.round(revenue * 0.31),
      net_income: net,
      eps: round(net / c.shares),
      eps_diluted: round(net / (c.shares * 1.005)),
    });
  }
  return out;
}
