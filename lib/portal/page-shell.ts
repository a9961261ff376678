/**
 * The frame every portal page shares: language, title, the navigation, one `main`, the stylesheet and the
 * page's scripts, all linked relatively so the site opens from the file system.
 */
import { type HtmlValue, html, type SafeHtml } from './html';
import { assetFile, HOME_PAGE, LINEAGE_PAGE, linkFrom, METRICS_PAGE } from './paths';

export interface PageShellProps {
  /** The page's path in the site, e.g. `products/sales/orders.html`. */
  readonly page: string;
  /** Window title; the portal's name is appended. */
  readonly title: string;
  readonly body: HtmlValue;
  /** Which navigation entry is the current page. */
  readonly current?: 'home' | 'lineage' | 'metrics';
  /** Script files under assets/ to load at the end of the body, in order. */
  readonly scripts?: readonly string[];
  /** Name of the mesh, shown in the header. */
  readonly meshName: string;
  /** Day the site was generated, shown in the footer. */
  readonly generatedOn: string;
}

export function pageShell(props: PageShellProps): SafeHtml {
  const link = (target: string) => linkFrom(props.page, target);
  const navItem = (key: 'home' | 'lineage' | 'metrics', target: string, label: string) =>
    html`<a data-nav="${key}" href="${link(target)}"${props.current === key ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${props.title} · ${props.meshName} data portal</title>
<link rel="stylesheet" href="${link(assetFile('portal.css'))}">
</head>
<body>
<header><a class="brand" href="${link(HOME_PAGE)}">${props.meshName} data portal</a>
<nav aria-label="Portal">${navItem('home', HOME_PAGE, 'Products')}${navItem('lineage', LINEAGE_PAGE, 'Lineage')}${navItem('metrics', METRICS_PAGE, 'Metrics')}</nav></header>
<main>
${props.body}
</main>
<footer>Generated from the mesh's definitions on ${props.generatedOn} by <code>mesh portal build</code>.</footer>
${(props.scripts ?? []).map((s) => html`<script src="${link(assetFile(s))}"></script>\n`)}</body>
</html>
`;
}
