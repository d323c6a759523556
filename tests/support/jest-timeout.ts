// `testTimeout` is a global jest option: set inside a project it is silently ignored, and the
// integration tests would get jest's 5 s default. This per-file setup applies it to the
// integration project only (they boot the whole system and drive real Postgres/Redis/APy).
jest.setTimeout(60_000);
