import type { SimHandler, SimRequest } from './types.js';

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: SimHandler;
}

/** Literal segments win over parameters, so `/sessions/online` never matches `/sessions/{ref}`. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: SimHandler): this {
    const names: string[] = [];
    const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    // Fewer parameters first: a literal path is more specific than a templated one.
    this.routes.sort((a, b) => a.names.length - b.names.length);
    return this;
  }

  match(method: string, path: string): { handler: SimHandler; params: Record<string, string> } | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

export type { SimRequest };
