// Profile pictures as a platform's image host serves them, for the contract mocks: the core fetches
// an account's picture at connect through its public-web path, which a test lets reach the mock.
import type { ServerResponse } from 'node:http';
import { smallPng } from '../fixtures/images';

/** Answers a GET under `prefix` (`/avatars/`) with a small image; false for any other path. */
export async function answerProfilePicture(url: URL, response: ServerResponse, prefix: string): Promise<boolean> {
  if (!url.pathname.startsWith(prefix)) return false;
  response.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' }).end(await smallPng(100, 100));
  return true;
}
