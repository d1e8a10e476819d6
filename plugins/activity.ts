// The activity page's numbers (decorates `activity`): an ActivityRecorder that the data-source
// proxy, Live, CORS and CSRF feed with one call each, and a 5-second sampler for Live's gauge and
// publication counter. In memory, per process, 15 minutes: a picture of now, not a history.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ActivityRecorder } from './activity/recorder.js'

declare module 'fastify' {
  interface FastifyInstance {
    activity: ActivityRecorder
    /** Samples Live now (the activity route does, so a reader sees the latest gauge). */
    activitySample: () => void
  }
}

const SAMPLE_EVERY_MS = 5000

async function activityPlugin (app: FastifyInstance): Promise<void> {
  const activity = new ActivityRecorder()
  app.decorate('activity', activity)

  // Live registers after this plugin: look it up when sampling, not now.
  const sample = () => {
    if (app.hasDecorator('live')) activity.sampleLive(app.live.connections.count, app.live.hub.published)
  }
  let timer: NodeJS.Timeout | undefined
  app.addHook('onReady', async () => {
    sample()
    timer = setInterval(sample, SAMPLE_EVERY_MS)
    timer.unref()
  })
  app.addHook('onClose', async () => { clearInterval(timer) })
  app.decorate('activitySample', sample)
}

export default fp(activityPlugin, { name: 'activity' })
