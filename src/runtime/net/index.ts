/**
 * The networking instructions and functions (DESIGN §3, §7): Call Service and the WebSocket
 * channels. The session registers a `Net` service under `NET` and closes it at the end.
 */
import type { BuiltinEntry } from '../../interpreter/runtime-api.js';
import { callServiceEntry } from './call-service.js';
import { webSocketTable } from './websocket.js';

export { callServiceEntry } from './call-service.js';
export { NET_ERROR_CLASSES, type NetErrorClass } from './errors.js';
export { DEFAULT_NET_OPTIONS, NET, Net, type NetOptions } from './net.js';
export type { UrlMaps } from './url.js';

export const netTable: readonly BuiltinEntry[] = [callServiceEntry, ...webSocketTable];
