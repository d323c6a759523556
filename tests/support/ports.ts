export { freePort } from '@syndication/testing';
