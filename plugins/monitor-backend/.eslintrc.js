module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // supertest's `.expect(status, body)` asserts too.
    'jest/expect-expect': [
      'warn',
      {
        assertFunctionNames: [
          'expect',
          'request.**.expect',
          'postReport.expect',
          'postReport.**.expect',
          'expectDocumented',
        ],
      },
    ],
  },
});
