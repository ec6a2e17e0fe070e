/**
 * Child process for the kill -9 test: appends feedback votes through the real FeedbackLog in a tight loop,
 * printing "ready" after the first write, until it is killed.
 */
import { FeedbackLog, hashUserId } from '../../src/discord/feedback.js';

const path = process.argv[2];
if (!path) throw new Error('usage: feedback-writer.ts FILE');
const log = new FeedbackLog(path);
for (let n = 0; ; n++) {
  await log.append({
    time: new Date().toISOString(),
    guildId: '1',
    channelId: '2',
    userHash: hashUserId(String(n % 97)),
    answerKey: `k${n}`,
    question: `Question number ${n} with some text to make the line longer: ${'x'.repeat(n % 300)}`,
    passageIds: ['corpus.md#1-abcdef12', 'corpus.md#2-abcdef13'],
    answered: n % 3 !== 0,
    vote: n % 2 === 0 ? 'up' : 'down',
  });
  if (n === 0) console.log('ready');
}
