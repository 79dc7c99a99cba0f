/*
 * Metrics for Prometheus: every plugin's instruments (the backend's metrics
 * service writes to OpenTelemetry's global meter provider) are served at
 * http://<PROMETHEUS_HOST or all interfaces>:<PROMETHEUS_PORT or 9464>/metrics.
 * Imported first by index.ts, so the provider is there before any plugin
 * asks for a meter.
 */
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

const exporter = new PrometheusExporter({
  port: Number(process.env.PROMETHEUS_PORT || 9464),
  host: process.env.PROMETHEUS_HOST || undefined,
});
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
