export { createRestSource, restStreams, type RestSourceOptions, type VendorCaller } from './source.js';
