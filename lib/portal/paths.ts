/**
 * Where each page of the portal lives, and relative links between them: the site works from the file system
 * (file://), so every link is relative to the page it is on.
 */
import * as path from 'node:path';

export const HOME_PAGE = 'index.html';
export const LINEAGE_PAGE = 'lineage.html';
export const METRICS_PAGE = 'metrics.html';

export function productPage(id: string): string {
  const [domain, name] = id.split('/');
  return `products/${domain}/${name}.html`;
}

export function domainPage(domain: string): string {
  return `domains/${domain}.html`;
}

export function contractFile(id: string, major: number): string {
  const [domain, name] = id.split('/');
  return `contracts/${domain}/${name}.v${major}.odcs.yaml`;
}

export function assetFile(name: string): string {
  return `assets/${name}`;
}

/** The link from one page of the site to another file of it. */
export function linkFrom(fromPage: string, target: string): string {
  const relative = path.posix.relative(path.posix.dirname(fromPage), target);
  return relative === '' ? path.posix.basename(target) : relative;
}
