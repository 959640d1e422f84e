import type { FastifyInstance } from 'fastify';

/** A route as Fastify registered it: method and URL pattern (`:id` parameters, `*` wildcards). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Every route of a ready Fastify instance, read from the router itself (`printRoutes`), not from the OpenAPI document
 * (which leaves hidden routes out) nor from an `onRoute` hook (added after the routes, it would see none).
 * Each parsed route is checked back with `hasRoute`, so that a parsing slip fails loudly instead of hiding a route.
 */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  // The radix tree as it is (common prefixes shared): each route's URL is the concatenation of its nodes. The flat
  // form (`commonPrefix: false`) drops a wildcard's static prefix (it prints `/docs/*` for `/docs/static/*`).
  const tree = app.printRoutes();
  const stack: string[] = [];
  const routes: RegisteredRoute[] = [];
  for (const line of tree.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^(.*?)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) throw new Error(`unparsed line of printRoutes: ${JSON.stringify(line)}`);
    const indent = match[1] ?? '';
    const segment = match[2] ?? '';
    if (indent.length % 4 !== 0) throw new Error(`unexpected indentation in printRoutes: ${JSON.stringify(line)}`);
    const depth = indent.length / 4;
    if (depth > stack.length) throw new Error(`printRoutes skipped a level: ${JSON.stringify(line)}`);
    stack.length = depth;
    const url = `${stack.at(-1) ?? ''}${segment}`;
    stack.push(url);
    for (const method of (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean)) {
      if (!app.hasRoute({ method: method as 'GET', url }))
        throw new Error(`printRoutes lists ${method} ${url}, hasRoute denies it`);
      routes.push({ method, url });
    }
  }
  return routes;
}
