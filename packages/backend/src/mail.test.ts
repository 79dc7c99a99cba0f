/*
 * Notifications by email: the demo portal's backend with SMTP settings
 * (notifications.processors.email) mails a job's failure to the people of
 * its owner, in the monitor's notification language. A local SMTP server
 * (smtp-server) takes the mail.
 */
import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import {
  dropDatabases,
  eventually,
  guestOnceKnown,
  Replica,
  replicaConfig,
  report,
  startReplica,
} from './__testUtils__/portal';

jest.setTimeout(240_000);

describe('notifications by email', () => {
  const prefix = `mail_${Date.now()}_`;
  const mails: ParsedMail[] = [];
  let smtp: SMTPServer;
  let portal: Replica | undefined;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        simpleParser(stream).then(
          mail => {
            mails.push(mail);
            done();
          },
          error => done(error),
        );
      },
    });
    await new Promise<void>(done => smtp.listen(0, '127.0.0.1', done));
  });

  afterAll(async () => {
    await portal?.stop();
    await new Promise<void>(done => smtp.close(() => done()));
    await dropDatabases(prefix);
  });

  it("mails a job's failure to its owner's people: subject, title, reason and link, in the notification language", async () => {
    const config = replicaConfig(prefix);
    const { port } = (
      smtp as unknown as { server: { address(): AddressInfo } }
    ).server.address();
    portal = await startReplica('mail', {
      ...config,
      monitor: { ...config.monitor, notifications: { language: 'en' } },
      notifications: {
        processors: {
          email: {
            transportConfig: {
              transport: 'smtp',
              hostname: '127.0.0.1',
              port,
              secure: false,
              requireTls: false,
            },
            sender: 'portal@example.com',
          },
        },
      },
    });
    // The demo's default owner is the guests' group, whose member the guest
    // has an email address in the catalog.
    await guestOnceKnown(portal);
    await report(portal, 'nightly-mail-export', 'error', {
      title: '夜間メール出力',
    });

    const [mail] = await eventually('the mail', async () =>
      mails.length > 0 ? mails : undefined,
    );
    expect(mail.to).toMatchObject({ text: 'guest@example.com' });
    expect(mail.from).toMatchObject({ text: 'portal@example.com' });
    expect(mail.subject).toBe('[Failing] 夜間メール出力: Error');
    expect(mail.text).toContain('nightly-mail-export: The latest run failed');
    expect(mail.text).toContain(
      'http://localhost:3000/monitor/jobs/nightly-mail-export',
    );
    expect(mails).toHaveLength(1);
  });
});
