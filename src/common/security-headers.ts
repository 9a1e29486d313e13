import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

// Security headers for every response (helmet). The dashboard loads its scripts, styles and
// Chart.js from this server only, with no inline script, so the policy allows 'self' and nothing
// else. The API explorer (Swagger UI) ships inline <style> blocks: it alone may use inline styles.
// Strict-Transport-Security (helmet's default) is ignored by browsers over plain HTTP and takes
// effect once a TLS proxy fronts the server.

const baseDirectives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  scriptSrcAttr: ["'none'"],
  // The city serves it over plain HTTP on its intranet: upgrading would break every asset.
  upgradeInsecureRequests: null,
};

export const API_DOCS_PATH = '/api/docs';

export function securityHeadersMiddleware() {
  const strict = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: baseDirectives },
  });
  const docs = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...baseDirectives, styleSrc: ["'self'", "'unsafe-inline'"] } },
  });
  return (request: Request, response: Response, next: NextFunction): void => {
    const path = request.path ?? request.url;
    if (path.startsWith('/api/v1/')) {
      // Answers carry the city's records: no shared cache may keep them.
      response.setHeader('Cache-Control', 'no-store');
    }
    const apply = path === API_DOCS_PATH || path.startsWith(`${API_DOCS_PATH}/`) ? docs : strict;
    apply(request, response, next);
  };
}
