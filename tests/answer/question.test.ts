import { describe, expect, it } from 'vitest';
import { analyzeQuestion, type AnswerType } from '../../src/answer/question.js';
import { analyzeQuery } from '../../src/retrieval/query.js';

const analyse = (q: string) => analyzeQuestion(q, analyzeQuery(q));

describe('analyzeQuestion: expected answer type', () => {
  const table: [string, AnswerType][] = [
    ['How many states does the initiative link?', 'count'],
    ['Сколько компаний зарегистрировано в стране?', 'count'],
    ['How long is each release supported?', 'duration'],
    ['Как долго поддерживается версия?', 'duration'],
    ['What is the maximum length of a message?', 'quantity'],
    ['How long is the railway?', 'quantity'],
    ['Какова длина железной дороги?', 'quantity'],
    ['In what year did the talk take place?', 'date'],
    ['When was the pipeline completed?', 'date'],
    ['В каком году был завершён нефтепровод?', 'date'],
    ['What percentage of exports goes to China?', 'percent'],
    ['Какая доля экспорта приходится на Китай?', 'percent'],
    ['How much did the company spend on pipelines?', 'money'],
    ['How much is the gas pipeline worth?', 'money'],
    ['Who wrote the foreword?', 'person'],
    ['Кто написал предисловие?', 'person'],
    ['Where does the tool put the binaries?', 'place'],
    ['In which city was it announced?', 'place'],
    ['Which university does she study at?', 'organisation'],
    ['Why does the server cap the number of threads?', 'reason'],
    ['Почему сервер слушает этот порт?', 'reason'],
    ['How do I add a custom command?', 'procedure'],
    ['What does TOML stand for?', 'definition'],
    ['Что такое владение?', 'definition'],
    ['Can safe code leak memory?', 'yesno'],
    ['Есть ли перевод книги?', 'yesno'],
    ['What kinds of macros are there?', 'list'],
    ['bounded parametric polymorphism', 'other'],
  ];
  for (const [question, type] of table) {
    it(`given "${question}", expects ${type}`, () => {
      expect(analyse(question).type).toBe(type);
    });
  }

  it('given a conditional "when" ("When should I use threads?"), does not expect a date', () => {
    expect(analyse('When should I use threads and when async?').type).not.toBe('date');
  });
});

describe('analyzeQuestion: focus and constraints', () => {
  it('given "How many rail projects began in 2013?", the focus drops "how many" and 2013 is a year constraint', () => {
    const a = analyse('How many rail projects began in 2013?');
    expect(a.focus.map((w) => w.surface)).toEqual(expect.arrayContaining(['rail', 'projects']));
    expect(a.constraints).toContainEqual(expect.objectContaining({ kind: 'year', text: '2013' }));
  });

  it('finds code identifiers, quoted strings, numbers and names as hard constraints', () => {
    const a = analyse('Does `Vec::new` allocate, and what did Tony Hoare say about "null" in 42 talks?');
    const kinds = a.constraints.map((c) => `${c.kind}:${c.text}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['code:Vec::new', 'quoted:null', 'number:42', 'name:Tony', 'name:Hoare']),
    );
  });

  it('finds std::thread::spawn, snake_case and deferReply as code without backticks', () => {
    const a = analyse('Can std::thread::spawn call snake_case or deferReply?');
    expect(a.constraints.filter((c) => c.kind === 'code').map((c) => c.text)).toEqual([
      'std::thread::spawn',
      'snake_case',
      'deferReply',
    ]);
  });

  it('does not take the capitalised first word of a question for a name', () => {
    expect(analyse('Pipelines built by whom?').constraints).toEqual([]);
  });

  it('finds Cyrillic names and years in a Russian question', () => {
    const a = analyse('Сколько грузов прошло через порт Хоргос в 2020 году?');
    expect(a.constraints.map((c) => `${c.kind}:${c.text}`)).toEqual(['year:2020', 'name:Хоргос']);
  });
});
