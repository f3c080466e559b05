/**
 * A small local stand-in for the part of Stripe's API Quire calls (prices, customers, Checkout and portal sessions),
 * for tests and for trying billing without a Stripe account. Point the SDK at it with STRIPE_API_URL.
 *
 *   tsx scripts/stripe-standin.ts      prints the settings to export, serves until Ctrl-C
 *
 * It is not Stripe: no validation beyond what Quire relies on, state in memory, 127.0.0.1 only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

export interface StandinPrice {
  id: string;
  active?: boolean;
  currency?: string;
  interval?: string | null;
  /** Cents a month; 1200 unless given. */
  amount?: number;
}

export interface StripeStandin {
  url: string;
  prices: Map<string, StandinPrice>;
  customers: Map<string, Record<string, unknown>>;
  /** Every request: method, path and form fields, for assertions. */
  requests: Array<{ method: string; path: string; form: Record<string, string> }>;
  close(): Promise<void>;
}

const token = (prefix: string) => `${prefix}_${randomBytes(10).toString('hex')}`;

function priceObject(price: StandinPrice) {
  return {
    id: price.id,
    object: 'price',
    active: price.active ?? true,
    currency: price.currency ?? 'usd',
    type: price.interval === null ? 'one_time' : 'recurring',
    recurring: price.interval === null ? null : { interval: price.interval ?? 'month', interval_count: 1 },
    unit_amount: price.amount ?? 1200,
    product: 'prod_standin',
    metadata: {},
  };
}

export async function startStripeStandin(prices: StandinPrice[] = []): Promise<StripeStandin> {
  const state = {
    prices: new Map(prices.map((p) => [p.id, p])),
    customers: new Map<string, Record<string, unknown>>(),
    requests: [] as StripeStandin['requests'],
  };
  let base = '';
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://standin');
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
      state.requests.push({ method: request.method ?? 'GET', path: url.pathname, form });
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json', 'request-id': token('req') });
        response.end(JSON.stringify(body));
      };
      const missing = (what: string) => send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } });
      const parts = url.pathname.split('/').filter(Boolean);
      if (request.method === 'GET' && parts[0] === 'checkout' && parts[1]) {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(`<!doctype html><title>Checkout (Stripe stand-in)</title><h1>Checkout</h1><p>Session ${parts[1]}</p>`);
        return;
      }
      if (parts[0] !== 'v1') return missing('route');
      if (request.method === 'GET' && parts[1] === 'prices' && parts[2]) {
        const price = state.prices.get(parts[2]);
        return price ? send(200, priceObject(price)) : missing(`price: '${parts[2]}'`);
      }
      if (request.method === 'POST' && parts[1] === 'customers' && !parts[2]) {
        const customer = { id: token('cus'), object: 'customer', email: form.email ?? null, metadata: { user_id: form['metadata[user_id]'] ?? null } };
        state.customers.set(customer.id, customer);
        return send(200, customer);
      }
      if (request.method === 'POST' && parts[1] === 'checkout' && parts[2] === 'sessions') {
        const id = token('cs_test');
        return send(200, {
          id,
          object: 'checkout.session',
          mode: form.mode,
          customer: form.customer,
          client_reference_id: form.client_reference_id ?? null,
          url: `${base}/checkout/${id}`,
        });
      }
      if (request.method === 'POST' && parts[1] === 'billing_portal' && parts[2] === 'sessions') {
        const id = token('bps');
        return send(200, { id, object: 'billing_portal.session', customer: form.customer, url: `${base}/portal/${id}` });
      }
      missing('route');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    ...state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const standin = await startStripeStandin([
    { id: 'price_pro_local', amount: 1200 },
    { id: 'price_team_local', amount: 2900 },
  ]);
  console.log(`Stripe stand-in at ${standin.url}. Set:
  STRIPE_API_URL=${standin.url}
  STRIPE_SECRET_KEY=sk_test_standin
  STRIPE_WEBHOOK_SECRET=whsec_standin
  STRIPE_PRICE_PRO=price_pro_local
  STRIPE_PRICE_TEAM=price_team_local`);
}
