/**
 * A page opened the way a person opens the portal, with everything that would show in the browser's console
 * recorded: console errors, uncaught exceptions, failed loads, and any request that leaves file:// (the portal
 * must work offline, so an http(s) request is a defect even when it would succeed).
 */
import type { BrowserContext, Page } from 'playwright-core';

export interface PageProblems {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly failedRequests: string[];
  /** Requests to anything but file:// URLs. */
  readonly externalRequests: string[];
}

export interface WatchedPage {
  readonly page: Page;
  readonly problems: PageProblems;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** @default 1280 × 800 */
  readonly viewport?: { readonly width: number; readonly height: number };
}

/**
 * A new tab in `context` with recorders attached, already navigated to `url` and loaded. Tests share one
 * context per file (a tab is far cheaper than a context); the portal keeps no state in the browser.
 */
export async function openWatched(
  context: BrowserContext,
  url: string,
  options: OpenOptions = {},
): Promise<WatchedPage> {
  const page = await context.newPage();
  await page.setViewportSize(options.viewport ?? { width: 1280, height: 800 });
  const problems = watch(page);
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems, close: () => page.close() };
}

/** Tabs a test file opens, each checked and closed after its test: call `closeAll` from `afterEach`. */
export interface CheckedTabs {
  open(context: BrowserContext, url: string): Promise<Page>;
  /** Expects no problem on any tab opened since the last call (and whatever `extra` checks), then closes them. */
  closeAll(extra?: (page: Page) => Promise<void>): Promise<void>;
}

export function checkedTabs(): CheckedTabs {
  let opened: WatchedPage[] = [];
  return {
    async open(context, url) {
      const watched = await openWatched(context, url);
      opened.push(watched);
      return watched.page;
    },
    async closeAll(extra) {
      const tabs = opened;
      opened = [];
      for (const tab of tabs) {
        expect(tab.problems).toEqual(NO_PROBLEMS);
        await extra?.(tab.page);
        await tab.close();
      }
    },
  };
}

/** Attaches the recorders to a page; they keep recording across navigations. */
export function watch(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [], externalRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith('file://')) problems.externalRequests.push(request.url());
  });
  page.on('requestfailed', (request) => {
    problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`);
  });
  return problems;
}

/** Nothing a person would see go wrong: compared as a whole so a failure lists every problem at once. */
export const NO_PROBLEMS: PageProblems = {
  consoleErrors: [],
  pageErrors: [],
  failedRequests: [],
  externalRequests: [],
};

/** Where the links matching `selector` lead, as absolute URLs (SVG links included). */
export async function linkTargets(page: Page, selector: string): Promise<string[]> {
  const hrefs = await page.$$eval(selector, (links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.map((href) => new URL(href, page.url()).href);
}
