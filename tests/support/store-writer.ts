/**
 * Child process for the kill -9 test of the store: stores feedback votes through the real FeedbackStore in a tight
 * loop and prints "committed N" after each commit, until it is killed.
 */
import { writeSync } from 'node:fs';
import { hashUserId } from '../../src/store/feedback-record.js';
import { openStore } from '../../src/store/open-store.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: store-writer.ts DATA_DIR');
const store = openStore({ dataDir: dir, importFeedbackFrom: null });
for (let n = 0; ; n++) {
  await store.feedback.append({
    time: new Date().toISOString(),
    guildId: '1',
    channelId: '2',
    userHash: hashUserId(String(n % 97)),
    answerKey: `k${n}`,
    question: `Question number ${n} with some text to make the row longer: ${'x'.repeat(n % 300)}`,
    passageIds: ['corpus.md#1-abcdef12', 'corpus.md#2-abcdef13'],
    answered: n % 3 !== 0,
    vote: n % 2 === 0 ? 'up' : 'down',
  });
  if (n % 10 === 0) store.settings.setOption('1', 'counter', n);
  // Synchronous, so the line is out before the next commit starts.
  writeSync(1, `committed ${n}\n`);
}
