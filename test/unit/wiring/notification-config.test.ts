import { describe, expect, it } from 'vitest';
import { LOCAL_NOTIFICATION_DEFAULTS, NotificationConfigError, readNotificationConfig } from '../../../functions/wiring/notification-config.js';

describe('notification configuration', () => {
  it('local mode needs no configuration: sender, environment and a 60-minute interval have defaults', () => {
    // Act
    const settings = readNotificationConfig({}, { ...LOCAL_NOTIFICATION_DEFAULTS, apiBaseUrl: 'http://localhost:3000' });
    // Assess
    expect(settings.notify).toEqual({ from: 'ksef-job-queues@example.com', intervalMinutes: 60, environmentName: 'local', apiBaseUrl: 'http://localhost:3000' });
    expect(settings.sesConfigurationSet).toBeUndefined();
  });

  it('the environment overrides the defaults', () => {
    // Act
    const settings = readNotificationConfig(
      {
        NOTIFY_FROM: 'ksef@firma.pl',
        NOTIFICATION_INTERVAL_MINUTES: '15',
        ENVIRONMENT_NAME: 'prod',
        API_BASE_URL: 'https://api.firma.pl',
        SES_CONFIGURATION_SET: 'ksef-job-queues',
        SES_ENDPOINT: '',
      },
      LOCAL_NOTIFICATION_DEFAULTS,
    );
    // Assess
    expect(settings).toEqual({
      notify: { from: 'ksef@firma.pl', intervalMinutes: 15, environmentName: 'prod', apiBaseUrl: 'https://api.firma.pl' },
      sesConfigurationSet: 'ksef-job-queues',
      sesEndpoint: undefined,
    });
  });

  it('missing or bad values are refused naming each variable', () => {
    // Act
    const error = (() => {
      try {
        readNotificationConfig({ NOTIFICATION_INTERVAL_MINUTES: '0', API_BASE_URL: 'ftp://x', ENVIRONMENT_NAME: 'prod' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    // Assess
    expect(error).toBeInstanceOf(NotificationConfigError);
    expect((error as Error).message).toContain('NOTIFY_FROM: is required');
    expect((error as Error).message).toContain('NOTIFICATION_INTERVAL_MINUTES: must be at least 1');
    expect((error as Error).message).toContain('API_BASE_URL: must be an http(s) URL');
  });
});
