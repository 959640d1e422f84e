import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** dist/web beside src/ and dist/: the same place whether the server runs from the sources or from the build. */
const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** The two single-page apps (docs/architecture.md, "Pages"), built by scripts/build-web.mjs. */
const APPS = ['console', 'pos'] as const;

/**
 * Serve the console at /console and the terminal app at /pos from the same server as the API, and send `/` to the
 * console. A path inside an app that is not a file is one of the app's own pages, so it gets the app's index.html.
 * When the pages were never built the answer says how to build them rather than a bare 404.
 */
export async function registerWebApps(app: FastifyInstance): Promise<void> {
  app.get('/', { config: { auth: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.redirect('/console/'),
  );
  for (const name of APPS) {
    const root = `${WEB_ROOT}${name}/`;
    const built = existsSync(`${root}index.html`);
    const page = (reply: FastifyReply) => {
      if (!built) return notBuilt(reply, name);
      // The shell is never cached (a new release takes effect on reload); hashed assets below are.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
    };
    app.get(`/${name}`, { config: { auth: 'public' }, schema: { hide: true } }, (_request, reply) =>
      reply.redirect(`/${name}/`),
    );
    if (!built) {
      app.get(`/${name}/*`, { config: { auth: 'public' }, schema: { hide: true } }, (_request, reply) => page(reply));
      continue;
    }
    await app.register(async (scope) => {
      // sendFile only: the routes below decide what is a file and what is a page.
      await scope.register(fastifyStatic, { root, serve: false });
      scope.get(`/${name}/`, { config: { auth: 'public' }, schema: { hide: true } }, (_request, reply) => page(reply));
      scope.get(`/${name}/*`, { config: { auth: 'public' }, schema: { hide: true } }, (request, reply) => {
        const path = (request.params as { '*': string })['*'];
        // Files the build made (assets, the service worker, the manifest) are served as they are; anything else is a page.
        if (/\.[a-z0-9]+$/i.test(path) && !path.includes('..') && existsSync(`${root}${path}`)) {
          // Vite names assets after their content, so they never change under their name.
          reply.header(
            'cache-control',
            path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
          return reply.sendFile(path, root, { cacheControl: false });
        }
        return page(reply);
      });
    });
  }
}

function notBuilt(reply: FastifyReply, name: string) {
  return reply
    .code(503)
    .type('text/plain; charset=utf-8')
    .send(`/${name} 页面尚未构建 / the ${name} pages are not built: run \`npm run build:web\` (npm start does it).\n`);
}
