// SPDX-License-Identifier: GPL-2.0
/* Copyright (C) 2026 The phoneproxy authors. */
/*
 * Media streams: what the SCCP proxy reports (media.h) becomes streams
 * with relay ports, looked up by relay.c's hook. One spinlock per
 * namespace serialises every change; the packet path takes no lock.
 */
#include <linux/jiffies.h>
#include <linux/percpu.h>
#include <linux/phoneproxy.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "config.h"
#include "media.h"
#include "relay.h"
#include "sccp.h"
#include "srtp.h"

#define PP_MEDIA_SWEEP	HZ	/* the idle-media timeout's resolution */

static void pp_media_changed(struct pp_media_net *mn)
{
	if (++mn->gen == 0)
		mn->gen = 1;		/* 0 means "no sequence" to dumps */
}

static void pp_media_stream_free_rcu(struct rcu_head *head)
{
	struct pp_media_stream *s = container_of(head, struct pp_media_stream,
						 rcu);

	free_percpu(s->stats);
	kfree(s);
}

/*
 * Streams per phone address (an activation is one address): the limit
 * PP_A_CFG_MAX_STREAMS spans every SCCP connection of the phone, and
 * outlives none of its streams. Under mn->lock.
 */
struct pp_media_phone {
	struct hlist_node node;
	__be32 addr;
	unsigned int streams;
};

static struct pp_media_phone *pp_media_phone_get(struct pp_media_net *mn,
						 __be32 addr)
{
	struct pp_media_phone *ph;

	lockdep_assert_held(&mn->lock);
	hash_for_each_possible(mn->phones, ph, node, (__force u32)addr)
		if (ph->addr == addr)
			return ph;
	ph = kzalloc(sizeof(*ph), GFP_ATOMIC);
	if (!ph)
		return NULL;
	ph->addr = addr;
	hash_add(mn->phones, &ph->node, (__force u32)addr);
	return ph;
}

static void pp_media_phone_put(struct pp_media_phone *ph)
{
	if (--ph->streams)
		return;
	hash_del(&ph->node);
	kfree(ph);
}

static void pp_media_srtp_release(struct pp_media_net *mn,
				  struct pp_media_stream *s);

/* Unhash @s and free it after the readers. Under mn->lock. */
static void pp_media_destroy(struct pp_media_net *mn,
			     struct pp_media_stream *s)
{
	struct pp_relay_totals tot;
	int side, i;

	lockdep_assert_held(&mn->lock);
	for (side = 0; side < PP_SIDES; side++) {
		pp_fwd_remove(&mn->fwd[side], s->port[side]);
		pp_port_free(&mn->ports[side], s->port[side]);
	}
	pp_media_srtp_release(mn, s);
	/* What was counted until now; a packet in flight may be lost. */
	pp_relay_totals(s, &tot);
	for (side = 0; side < PP_SIDES; side++) {
		mn->gone.pkts[side] += tot.pkts[side];
		mn->gone.bytes[side] += tot.bytes[side];
		mn->gone.drops[side] += tot.drops[side];
	}
	mn->gone.port_drops += tot.port_drops;
	for (i = 0; i < PP_SRTP_CNTS; i++)
		mn->gone.srtp[i] += tot.srtp[i];
	pp_media_phone_put(s->phone);
	list_del(&s->owner_node);
	if (list_empty(&s->owner->streams))
		mn->n_calls--;		/* the phone's last stream of the call */
	list_del(&s->node);
	mn->n_streams--;
	pp_media_changed(mn);
	call_rcu(&s->rcu, pp_media_stream_free_rcu);
}

/* Destroy @s once the phone neither sends nor receives nor keeps it. */
static void pp_media_maybe_destroy(struct pp_media_net *mn,
				   struct pp_media_stream *s)
{
	if (!s->rx && !s->tx && !s->keep)
		pp_media_destroy(mn, s);
}

static struct pp_media_stream *pp_media_find(struct pp_media_owner *o,
					     u32 ppid)
{
	struct pp_media_stream *s;

	list_for_each_entry(s, &o->streams, owner_node)
		if (s->ppid == ppid)
			return s;
	return NULL;
}

/* A new stream of @o for @ppid, with both relay ports. Under mn->lock. */
static struct pp_media_stream *pp_media_create(struct pp_media_net *mn,
					       struct pp_media_owner *o,
					       u32 ppid)
{
	const struct pp_config *cfg;
	struct pp_media_stream *s;
	int side, err, cpu, port;

	struct pp_media_phone *ph;
	u32 max_streams;

	lockdep_assert_held(&mn->lock);
	/*
	 * The owner's connection is gone (or its user inactivated): checked
	 * under the lock that pp_media_owner_close() takes, so no stream
	 * can outlive its owner.
	 */
	if (o->dead)
		return ERR_PTR(-ESHUTDOWN);
	if (o->frozen)
		return ERR_PTR(-EPERM);
	rcu_read_lock();
	max_streams = pp_config_rcu(mn->pn)->max_streams;
	rcu_read_unlock();
	ph = pp_media_phone_get(mn, o->phone_addr);
	if (!ph)
		return ERR_PTR(-ENOMEM);
	if (ph->streams >= max_streams) {
		mn->stream_limit++;
		net_info_ratelimited("%pI4 (%s): more than %u media streams: refused\n",
				     &o->phone_addr, o->user, max_streams);
		err = -EDQUOT;
		goto err_limit;
	}
	ph->streams++;		/* pp_media_phone_put() on every way out */
	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s) {
		err = -ENOMEM;
		goto err_alloc;
	}
	s->phone = ph;
	s->stats = alloc_percpu_gfp(struct pp_relay_pcpu, GFP_ATOMIC);
	if (!s->stats) {
		err = -ENOMEM;
		goto err_stats;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(s->stats, cpu)->syncp);

	rcu_read_lock();
	cfg = pp_config_rcu(mn->pn);
	s->local[PP_NORTH] = cfg->north_addr;
	s->local[PP_SOUTH] = cfg->south_addr;
	for (side = 0; side < PP_SIDES; side++) {
		if (!s->local[PP_NORTH] || !s->local[PP_SOUTH])
			break;
		port = pp_port_alloc(&mn->ports[side], cfg->rtp_port_min,
				     cfg->rtp_port_max);
		if (port < 0)
			break;
		s->port[side] = port;
	}
	rcu_read_unlock();
	if (!s->local[PP_NORTH] || !s->local[PP_SOUTH]) {
		err = -ENETUNREACH;
		goto err_ports;
	}
	if (side < PP_SIDES) {
		mn->no_port++;
		net_warn_ratelimited("%pI4: no RTP port left (%s side): call without media\n",
				     &o->phone_addr,
				     side == PP_NORTH ? "north" : "south");
		err = -ENOSPC;
		goto err_ports;
	}

	s->phone_addr = o->phone_addr;
	s->owner = o;
	s->ppid = ppid;
	s->created = jiffies;
	s->last = s->created;
	/* Visible to the packet path: everything above is set. */
	for (side = 0; side < PP_SIDES; side++) {
		err = pp_fwd_insert(&mn->fwd[side], s->port[side], s,
				    GFP_ATOMIC);
		if (err)
			goto err_fwd;
	}
	if (list_empty(&o->streams)) {
		mn->n_calls++;		/* the phone's first stream: a call */
		mn->calls_total++;
	}
	list_add_tail(&s->owner_node, &o->streams);
	list_add_tail(&s->node, &mn->streams);
	mn->n_streams++;
	mn->streams_total++;
	pp_media_changed(mn);
	if (!mn->closing)
		queue_delayed_work(system_power_efficient_wq, &mn->sweep,
				   PP_MEDIA_SWEEP);
	return s;

err_fwd:
	while (side-- > 0)
		pp_fwd_remove(&mn->fwd[side], s->port[side]);
	/* A reader may have found it: free after a grace period. */
	for (side = 0; side < PP_SIDES; side++)
		pp_port_free(&mn->ports[side], s->port[side]);
	call_rcu(&s->rcu, pp_media_stream_free_rcu);
	pp_media_phone_put(ph);
	return ERR_PTR(err);

err_ports:
	for (side = 0; side < PP_SIDES; side++)
		if (s->port[side])
			pp_port_free(&mn->ports[side], s->port[side]);
	free_percpu(s->stats);
err_stats:
	kfree(s);
err_alloc:
	pp_media_phone_put(ph);
	return ERR_PTR(err);

err_limit:
	if (!ph->streams) {	/* just created for this refusal */
		ph->streams = 1;
		pp_media_phone_put(ph);
	}
	return ERR_PTR(err);
}

static struct pp_media_stream *pp_media_get(struct pp_media_net *mn,
					    struct pp_media_owner *o,
					    u32 ppid)
{
	struct pp_media_stream *s = pp_media_find(o, ppid);

	return s ?: pp_media_create(mn, o, ppid);
}

static void __pp_media_owner_init(struct pp_media_owner *o,
				  struct pp_media_net *mn, __be32 phone_addr,
				  const char *user)
{
	o->mn = mn;
	o->phone_addr = phone_addr;
	strscpy(o->user, user ?: "", sizeof(o->user));
	INIT_LIST_HEAD(&o->streams);
}

void pp_media_owner_init(struct pp_media_owner *o, struct net *net,
			 __be32 phone_addr, const char *user)
{
	__pp_media_owner_init(o, pp_net(net)->media, phone_addr, user);
	o->net = net;
}

static void __pp_media_owner_release(struct pp_media_net *mn,
				     struct pp_media_owner *o)
{
	struct pp_media_stream *s, *tmp;

	lockdep_assert_held(&mn->lock);
	list_for_each_entry_safe(s, tmp, &o->streams, owner_node)
		pp_media_destroy(mn, s);
}

void pp_media_owner_release(struct pp_media_owner *o)
{
	struct pp_media_net *mn = o->mn;

	spin_lock_bh(&mn->lock);
	__pp_media_owner_release(mn, o);
	spin_unlock_bh(&mn->lock);
}

void pp_media_owner_close(struct pp_media_owner *o)
{
	struct pp_media_net *mn = o->mn;

	spin_lock_bh(&mn->lock);
	o->dead = true;
	__pp_media_owner_release(mn, o);
	spin_unlock_bh(&mn->lock);
}

void pp_media_owner_freeze(struct pp_media_owner *o)
{
	struct pp_media_net *mn = o->mn;

	spin_lock_bh(&mn->lock);
	o->frozen = true;
	spin_unlock_bh(&mn->lock);
}

bool pp_media_owner_idle(struct pp_media_owner *o)
{
	struct pp_media_net *mn = o->mn;
	bool idle;

	spin_lock_bh(&mn->lock);
	idle = list_empty(&o->streams);
	spin_unlock_bh(&mn->lock);
	return idle;
}

/* What a signalling message says of a stream (see media.h). */
enum pp_media_sig {
	PP_SIG_PHONE_RX,	/* OpenReceiveChannelAck: the phone receives */
	PP_SIG_PHONE_TX,	/* StartMediaTransmissionAck: it sends */
	PP_SIG_FAR_RX,		/* StartMediaTransmission: the far end */
	PP_SIG_OPEN,		/* OpenReceiveChannel, PortReq: a channel */
};

/*
 * Create or find @o's stream @ppid, apply @sig and return in @addr:@port
 * the relay address and port to write into the message instead: south
 * for what the phone announces, north for the far end.
 */
static int pp_media_signal(struct pp_media_owner *o, u32 ppid,
			   enum pp_media_sig sig, __be32 far_addr, __be16 port_in,
			   __be32 *addr, __be16 *port)
{
	struct pp_media_net *mn = o->mn;
	struct pp_media_stream *s;
	int side = PP_SOUTH;

	spin_lock_bh(&mn->lock);
	if (sig == PP_SIG_PHONE_RX || sig == PP_SIG_PHONE_TX) {
		/* Only for a channel the CallManager opened. */
		s = pp_media_find(o, ppid);
		if (!s) {
			spin_unlock_bh(&mn->lock);
			return -ENOENT;
		}
	} else {
		s = pp_media_get(mn, o, ppid);
	}
	if (IS_ERR(s)) {
		spin_unlock_bh(&mn->lock);
		return PTR_ERR(s);
	}
	switch (sig) {
	case PP_SIG_OPEN:
		break;
	case PP_SIG_PHONE_RX:
		if (port_in)
			WRITE_ONCE(s->phone_port, port_in);
		WRITE_ONCE(s->rx, true);
		s->keep = false;
		break;
	case PP_SIG_PHONE_TX:
		break;		/* its source port is latched by its packets */
	case PP_SIG_FAR_RX:
		if (far_addr)
			WRITE_ONCE(s->far_addr, far_addr);
		if (port_in)
			WRITE_ONCE(s->far_port, port_in);
		WRITE_ONCE(s->tx, true);
		side = PP_NORTH;
		break;
	}
	WRITE_ONCE(s->last, jiffies);
	*addr = s->local[side];
	*port = htons(s->port[side]);
	spin_unlock_bh(&mn->lock);
	return 0;
}

int pp_media_open(struct pp_media_owner *o, u32 ppid)
{
	__be32 addr;
	__be16 port;

	return pp_media_signal(o, ppid, PP_SIG_OPEN, 0, 0, &addr, &port);
}

int pp_media_phone_rx(struct pp_media_owner *o, u32 ppid, __be16 phone_port,
		      __be32 *addr, __be16 *port)
{
	return pp_media_signal(o, ppid, PP_SIG_PHONE_RX, 0, phone_port, addr,
			       port);
}

int pp_media_phone_tx(struct pp_media_owner *o, u32 ppid, __be16 phone_port,
		      __be32 *addr, __be16 *port)
{
	return pp_media_signal(o, ppid, PP_SIG_PHONE_TX, 0, phone_port, addr,
			       port);
}

int pp_media_far_rx(struct pp_media_owner *o, u32 ppid, __be32 far_addr,
		    __be16 far_port, __be32 *addr, __be16 *port)
{
	return pp_media_signal(o, ppid, PP_SIG_FAR_RX, far_addr, far_port, addr,
			       port);
}

void pp_media_unopened(struct pp_media_owner *o)
{
	struct pp_media_net *mn = o->mn;

	spin_lock_bh(&mn->lock);
	mn->unopened++;
	spin_unlock_bh(&mn->lock);
}

void pp_media_stop_tx(struct pp_media_owner *o, u32 ppid)
{
	struct pp_media_net *mn = o->mn;
	struct pp_media_stream *s;

	spin_lock_bh(&mn->lock);
	s = pp_media_find(o, ppid);
	if (s) {
		WRITE_ONCE(s->tx, false);
		pp_media_maybe_destroy(mn, s);
	}
	spin_unlock_bh(&mn->lock);
}

void pp_media_close_rx(struct pp_media_owner *o, u32 ppid, bool keep_port)
{
	struct pp_media_net *mn = o->mn;
	struct pp_media_stream *s;

	spin_lock_bh(&mn->lock);
	s = pp_media_find(o, ppid);
	if (s) {
		WRITE_ONCE(s->rx, false);
		s->keep = keep_port;
		pp_media_maybe_destroy(mn, s);
	}
	spin_unlock_bh(&mn->lock);
}

/* ---- SRTP contexts ---------------------------------------------------- */

/*
 * The lifetimes (docs/srtp.md "In the relay"). pp_media_srtp_key() (any
 * context, under mn->lock) makes a job and links it both ways: the job's
 * @s and the stream's srtp_job[dir]; the invariant is job->s == s iff
 * s->srtp_job[dir] == job. Whoever ends that link (a newer key, the
 * stream's destruction, the work item) does so under mn->lock: a job
 * whose @s is NULL is wanted by nobody and is freed by whoever holds it
 * (the work item when busy, else the one that unlinked it). A published
 * context leaves its stream only under mn->lock and only onto
 * mn->srtp_dead, which the work item frees after synchronize_rcu(): no
 * packet-path reader (rcu_read_lock() in the hook) can still hold it.
 */
static void pp_media_srtp_kick(struct pp_media_net *mn)
{
	lockdep_assert_held(&mn->lock);
	/* Closing: pp_media_net_free() runs the work itself, last. */
	if (!mn->closing)
		queue_work(system_wq, &mn->srtp_work);
}

/* Free a job nobody wants (its key zeroed with it). */
static void pp_media_srtp_job_free(struct pp_media_srtp *j)
{
	kfree_sensitive(j);
}

/* @s is destroyed: drop its jobs, retire its contexts. Under mn->lock. */
static void pp_media_srtp_release(struct pp_media_net *mn,
				  struct pp_media_stream *s)
{
	struct pp_media_srtp *j, *c;
	bool dead = false;
	int dir;

	lockdep_assert_held(&mn->lock);
	for (dir = 0; dir < ARRAY_SIZE(s->srtp); dir++) {
		j = s->srtp_job[dir];
		if (j) {
			s->srtp_job[dir] = NULL;
			j->s = NULL;
			if (!j->busy) {
				list_del(&j->node);
				pp_media_srtp_job_free(j);
			}
		}
		c = rcu_dereference_protected(s->srtp[dir],
					      lockdep_is_held(&mn->lock));
		if (c) {
			RCU_INIT_POINTER(s->srtp[dir], NULL);
			list_add_tail(&c->node, &mn->srtp_dead);
			dead = true;
		}
	}
	if (dead)
		pp_media_srtp_kick(mn);
}

static void pp_media_srtp_free_list(struct list_head *dead)
{
	struct pp_media_srtp *c, *tmp;

	list_for_each_entry_safe(c, tmp, dead, node) {
		list_del(&c->node);
		pp_srtp_free(c->ctx);
		kfree_sensitive(c);
	}
}

/*
 * The work item: allocate the contexts of the waiting jobs, one at a
 * time (pp_srtp_alloc() sleeps: the lock is dropped around it), publish
 * each if its stream still wants it, then free what was retired once no
 * reader can hold it. The only place contexts are made or freed, with
 * pp_media_net_free() (which runs it after the hook is gone).
 */
static void pp_media_srtp_work(struct work_struct *work)
{
	struct pp_media_net *mn = container_of(work, struct pp_media_net,
					       srtp_work);
	struct pp_media_srtp *j, *old;
	struct pp_srtp_ctx *ctx;
	struct pp_media_stream *s;
	LIST_HEAD(dead);

	for (;;) {
		spin_lock_bh(&mn->lock);
		j = list_first_entry_or_null(&mn->srtp_jobs,
					     struct pp_media_srtp, node);
		if (j) {
			list_del_init(&j->node);
			j->busy = true;
		}
		list_splice_tail_init(&mn->srtp_dead, &dead);
		spin_unlock_bh(&mn->lock);
		if (!j)
			break;

		ctx = pp_srtp_alloc(j->suite, j->dir, j->key, j->salt);
		memzero_explicit(j->key, sizeof(j->key));
		memzero_explicit(j->salt, sizeof(j->salt));

		spin_lock_bh(&mn->lock);
		j->busy = false;
		s = j->s;
		if (s) {
			s->srtp_job[j->dir] = NULL;
			j->s = NULL;
			if (IS_ERR(ctx)) {
				/* Keyed for good: its packets stay dropped. */
				mn->srtp_alloc_fail++;
				net_warn_ratelimited("%pI4 (%s) stream %u: no SRTP context (%ld): its media is dropped\n",
						     &s->phone_addr,
						     s->owner->user, s->ppid,
						     PTR_ERR(ctx));
			} else {
				old = rcu_dereference_protected(s->srtp[j->dir],
								lockdep_is_held(&mn->lock));
				j->ctx = ctx;
				rcu_assign_pointer(s->srtp[j->dir], j);
				if (old)
					list_add_tail(&old->node, &dead);
				j = NULL;	/* published */
				pp_media_changed(mn);
			}
		}
		spin_unlock_bh(&mn->lock);
		if (j) {		/* nobody wants it (any more) */
			pp_srtp_free(ctx);
			pp_media_srtp_job_free(j);
		}
		cond_resched();
	}
	if (!list_empty(&dead)) {
		synchronize_rcu();
		pp_media_srtp_free_list(&dead);
	}
}

static const u32 pp_media_srtp_alg[] = {
	[PP_SRTP_AES_CM_128_HMAC_SHA1_80] = SCCP_KEY_AES_CM_128_SHA1_80,
	[PP_SRTP_AES_CM_128_HMAC_SHA1_32] = SCCP_KEY_AES_CM_128_SHA1_32,
};

int pp_media_srtp_key(struct pp_media_owner *o, u32 ppid,
		      enum pp_srtp_dir dir, enum pp_srtp_suite suite,
		      struct sccp_media_key *out)
{
	struct pp_media_net *mn = o->mn;
	struct pp_media_srtp *j, *prev;
	struct pp_media_stream *s;

	if ((dir != PP_SRTP_TX && dir != PP_SRTP_RX) ||
	    (suite != PP_SRTP_AES_CM_128_HMAC_SHA1_80 &&
	     suite != PP_SRTP_AES_CM_128_HMAC_SHA1_32))
		return -EINVAL;
	/* Allocated before the lock; one per key, never per packet. */
	j = kzalloc(sizeof(*j), GFP_ATOMIC);
	if (!j)
		return -ENOMEM;
	j->dir = dir;
	j->suite = suite;
	INIT_LIST_HEAD(&j->node);

	spin_lock_bh(&mn->lock);
	if (mn->closing || o->dead) {
		spin_unlock_bh(&mn->lock);
		kfree(j);
		return -ESHUTDOWN;
	}
	s = pp_media_find(o, ppid);
	if (!s) {
		spin_unlock_bh(&mn->lock);
		kfree(j);
		return -ENOENT;
	}
	get_random_bytes(j->key, sizeof(j->key));
	get_random_bytes(j->salt, sizeof(j->salt));

	/* A newer key replaces the one still waiting for its context. */
	prev = s->srtp_job[dir];
	if (prev) {
		prev->s = NULL;
		if (!prev->busy) {
			list_del(&prev->node);
			pp_media_srtp_job_free(prev);
		}
	}
	j->s = s;
	s->srtp_job[dir] = j;
	list_add_tail(&j->node, &mn->srtp_jobs);
	s->srtp_suite[dir] = suite;
	WRITE_ONCE(s->srtp_keyed, s->srtp_keyed | BIT(dir));
	WRITE_ONCE(s->last, jiffies);
	mn->srtp_keys++;
	pp_media_changed(mn);
	pp_media_srtp_kick(mn);

	memset(out, 0, sizeof(*out));
	out->alg = pp_media_srtp_alg[suite];
	out->key_len = PP_SRTP_KEY_LEN;
	out->salt_len = PP_SRTP_SALT_LEN;
	memcpy(out->key, j->key, PP_SRTP_KEY_LEN);
	memcpy(out->salt, j->salt, PP_SRTP_SALT_LEN);
	spin_unlock_bh(&mn->lock);
	return 0;
}

/* ---- The idle-media timeout ------------------------------------------ */

/*
 * Destroy the streams without a relayed packet (or a signal) for the
 * configured timeout, as of @now. Returns how many. Under mn->lock.
 */
static unsigned int pp_media_expire(struct pp_media_net *mn,
				    unsigned long now)
{
	struct pp_media_stream *s, *tmp;
	unsigned int n = 0;
	unsigned long tmo;

	lockdep_assert_held(&mn->lock);
	rcu_read_lock();
	tmo = pp_config_rcu(mn->pn)->media_timeout * (unsigned long)HZ;
	rcu_read_unlock();
	if (!tmo)
		return 0;
	list_for_each_entry_safe(s, tmp, &mn->streams, node) {
		if (time_before(now, READ_ONCE(s->last) + tmo))
			continue;
		pp_media_destroy(mn, s);
		mn->timeouts++;
		n++;
	}
	return n;
}

static void pp_media_sweep(struct work_struct *work)
{
	struct pp_media_net *mn = container_of(to_delayed_work(work),
					       struct pp_media_net, sweep);

	spin_lock_bh(&mn->lock);
	pp_media_expire(mn, jiffies);
	if (mn->n_streams && !mn->closing)
		queue_delayed_work(system_power_efficient_wq, &mn->sweep,
				   PP_MEDIA_SWEEP);
	spin_unlock_bh(&mn->lock);
}

/* ---- Reporting ------------------------------------------------------- */

void pp_media_stats(struct pp_net *pn, struct pp_media_stats *st)
{
	struct pp_media_net *mn = pn->media;
	struct pp_relay_totals tot;
	struct pp_media_stream *s;
	int side, i;

	memset(st, 0, sizeof(*st));
	spin_lock_bh(&mn->lock);
	st->streams = mn->n_streams;
	st->streams_total = mn->streams_total;
	st->calls = mn->n_calls;
	st->calls_total = mn->calls_total;
	st->no_port = mn->no_port;
	st->timeouts = mn->timeouts;
	st->unopened = mn->unopened;
	st->stream_limit = mn->stream_limit;
	st->port_drops = mn->gone.port_drops;
	for (i = 0; i < PP_SRTP_CNTS; i++)
		st->srtp[i] = mn->gone.srtp[i];
	st->srtp_keys = mn->srtp_keys;
	st->srtp_alloc_fail = mn->srtp_alloc_fail;
	for (side = 0; side < PP_SIDES; side++) {
		st->pkts += mn->gone.pkts[side];
		st->bytes += mn->gone.bytes[side];
		st->drops += mn->gone.drops[side];
	}
	list_for_each_entry(s, &mn->streams, node) {
		pp_relay_totals(s, &tot);
		for (side = 0; side < PP_SIDES; side++) {
			st->pkts += tot.pkts[side];
			st->bytes += tot.bytes[side];
			st->drops += tot.drops[side];
		}
		st->port_drops += tot.port_drops;
		for (i = 0; i < PP_SRTP_CNTS; i++)
			st->srtp[i] += tot.srtp[i];
	}
	spin_unlock_bh(&mn->lock);
}

static u32 pp_media_secs(unsigned long since)
{
	return (jiffies - since) / HZ;
}

/*
 * A stream's SRTP attributes (a direction keyed: its suite; whether its
 * context is ready; the counters). Under mn->lock. Never the keys.
 */
static int pp_media_put_srtp(struct sk_buff *skb,
			     const struct pp_media_stream *s,
			     const struct pp_relay_totals *tot)
{
	static const struct {
		int attr;
		enum pp_srtp_cnt cnt;
	} cnts[] = {
		{ PP_CALL_A_SRTP_PROTECTED, PP_SRTP_CNT_PROTECTED },
		{ PP_CALL_A_SRTP_UNPROTECTED, PP_SRTP_CNT_UNPROTECTED },
		{ PP_CALL_A_SRTP_AUTH_FAIL, PP_SRTP_CNT_AUTH },
		{ PP_CALL_A_SRTP_REPLAY, PP_SRTP_CNT_REPLAY },
		{ PP_CALL_A_SRTP_PENDING, PP_SRTP_CNT_PENDING },
		{ PP_CALL_A_SRTP_OTHER, PP_SRTP_CNT_OTHER },
		{ PP_CALL_A_SRTP_EXPANDED, PP_SRTP_CNT_EXPANDED },
	};
	static const int suite_attr[2] = {
		[PP_SRTP_TX] = PP_CALL_A_SRTP_TX_SUITE,
		[PP_SRTP_RX] = PP_CALL_A_SRTP_RX_SUITE,
	};
	u8 keyed = READ_ONCE(s->srtp_keyed), ready = 0;
	unsigned int i;
	int dir;

	if (!keyed)
		return 0;
	for (dir = 0; dir < ARRAY_SIZE(s->srtp); dir++) {
		if (!(keyed & BIT(dir)))
			continue;
		if (rcu_access_pointer(s->srtp[dir]))
			ready |= BIT(dir);
		if (nla_put_u8(skb, suite_attr[dir],
			       pp_media_srtp_alg[s->srtp_suite[dir]]))
			return -EMSGSIZE;
	}
	if (nla_put_u8(skb, PP_CALL_A_SRTP_READY, ready))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(cnts); i++)
		if (nla_put_u64_64bit(skb, cnts[i].attr, tot->srtp[cnts[i].cnt],
				      PP_CALL_A_PAD))
			return -EMSGSIZE;
	return 0;
}

/* One stream as a PP_A_CALL nest. Under mn->lock. */
static int pp_media_put_stream(struct sk_buff *skb,
			       const struct pp_media_stream *s)
{
	struct pp_relay_totals tot;
	struct nlattr *nest;

	pp_relay_totals(s, &tot);
	nest = nla_nest_start(skb, PP_A_CALL);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, PP_CALL_A_USER, s->owner->user) ||
	    nla_put_u32(skb, PP_CALL_A_PPID, s->ppid) ||
	    nla_put_in_addr(skb, PP_CALL_A_PHONE_ADDR, s->phone_addr) ||
	    nla_put_u16(skb, PP_CALL_A_PHONE_PORT,
			ntohs(READ_ONCE(s->phone_port))) ||
	    nla_put_u16(skb, PP_CALL_A_PHONE_SRC_PORT,
			ntohs(READ_ONCE(s->phone_src[0]))) ||
	    nla_put_in_addr(skb, PP_CALL_A_NORTH_ADDR, s->local[PP_NORTH]) ||
	    nla_put_u16(skb, PP_CALL_A_NORTH_PORT, s->port[PP_NORTH]) ||
	    nla_put_in_addr(skb, PP_CALL_A_SOUTH_ADDR, s->local[PP_SOUTH]) ||
	    nla_put_u16(skb, PP_CALL_A_SOUTH_PORT, s->port[PP_SOUTH]) ||
	    nla_put_in_addr(skb, PP_CALL_A_FAR_ADDR,
			    READ_ONCE(s->far_addr) ?: READ_ONCE(s->latched)) ||
	    nla_put_u16(skb, PP_CALL_A_FAR_PORT,
			ntohs(READ_ONCE(s->far_port))) ||
	    nla_put_u8(skb, PP_CALL_A_RX, s->rx) ||
	    nla_put_u8(skb, PP_CALL_A_TX, s->tx) ||
	    nla_put_u32(skb, PP_CALL_A_SECS, pp_media_secs(s->created)) ||
	    nla_put_u32(skb, PP_CALL_A_IDLE_SECS,
			pp_media_secs(READ_ONCE(s->last))) ||
	    nla_put_u64_64bit(skb, PP_CALL_A_PHONE_PKTS, tot.pkts[PP_NORTH],
			      PP_CALL_A_PAD) ||
	    nla_put_u64_64bit(skb, PP_CALL_A_PHONE_BYTES, tot.bytes[PP_NORTH],
			      PP_CALL_A_PAD) ||
	    nla_put_u64_64bit(skb, PP_CALL_A_PHONE_DROPS, tot.drops[PP_NORTH],
			      PP_CALL_A_PAD) ||
	    nla_put_u64_64bit(skb, PP_CALL_A_FAR_PKTS, tot.pkts[PP_SOUTH],
			      PP_CALL_A_PAD) ||
	    nla_put_u64_64bit(skb, PP_CALL_A_FAR_BYTES, tot.bytes[PP_SOUTH],
			      PP_CALL_A_PAD) ||
	    nla_put_u64_64bit(skb, PP_CALL_A_FAR_DROPS, tot.drops[PP_SOUTH],
			      PP_CALL_A_PAD) ||
	    pp_media_put_srtp(skb, s, &tot)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int pp_media_dump(struct pp_net *pn, struct sk_buff *skb,
		  struct netlink_callback *cb,
		  void *(*start)(struct sk_buff *skb,
				 struct netlink_callback *cb))
{
	struct pp_media_net *mn = pn->media;
	struct pp_media_stream *s;
	unsigned long i = 0;
	void *hdr;

	spin_lock_bh(&mn->lock);
	cb->seq = mn->gen;
	list_for_each_entry(s, &mn->streams, node) {
		if (i++ < cb->args[0])
			continue;
		hdr = start(skb, cb);
		if (!hdr)
			break;
		if (pp_media_put_stream(skb, s)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
	spin_unlock_bh(&mn->lock);
	return skb->len;
}

/* ---- Per namespace --------------------------------------------------- */

static struct pp_media_net *pp_media_net_alloc(struct pp_net *pn)
{
	struct pp_media_net *mn;

	mn = kvzalloc(sizeof(*mn), GFP_KERNEL);
	if (!mn)
		return NULL;
	mn->pn = pn;
	spin_lock_init(&mn->lock);
	INIT_LIST_HEAD(&mn->streams);
	hash_init(mn->phones);
	mn->gen = 1;
	INIT_DELAYED_WORK(&mn->sweep, pp_media_sweep);
	INIT_LIST_HEAD(&mn->srtp_jobs);
	INIT_LIST_HEAD(&mn->srtp_dead);
	INIT_WORK(&mn->srtp_work, pp_media_srtp_work);
	return mn;
}

/* No packet, no SCCP connection, no dump is left. */
static void pp_media_net_free(struct pp_media_net *mn)
{
	struct pp_media_stream *s, *tmp;
	int side;

	spin_lock_bh(&mn->lock);
	mn->closing = true;
	spin_unlock_bh(&mn->lock);
	cancel_delayed_work_sync(&mn->sweep);

	/* The SCCP proxy released every owner before: nothing is left. */
	WARN_ON_ONCE(!list_empty(&mn->streams));
	spin_lock_bh(&mn->lock);
	list_for_each_entry_safe(s, tmp, &mn->streams, node) {
		list_del_init(&s->owner_node);
		pp_media_destroy(mn, s);
	}
	spin_unlock_bh(&mn->lock);
	/*
	 * No stream is left, so no job: what is queued is only contexts to
	 * free. The work item is not queued again (closing): run it here,
	 * once it is idle, to free them after a grace period.
	 */
	cancel_work_sync(&mn->srtp_work);
	pp_media_srtp_work(&mn->srtp_work);
	WARN_ON_ONCE(!list_empty(&mn->srtp_jobs) ||
		     !list_empty(&mn->srtp_dead));
	for (side = 0; side < PP_SIDES; side++)
		pp_fwd_destroy(&mn->fwd[side]);
	kvfree(mn);
}

int pp_media_net_init(struct pp_net *pn)
{
	struct pp_media_net *mn;
	int err;

	mn = pp_media_net_alloc(pn);
	if (!mn)
		return -ENOMEM;
	pn->media = mn;
	err = pp_relay_init(pn);
	if (err) {
		pn->media = NULL;
		pp_media_net_free(mn);
		return err;
	}
	return 0;
}

void pp_media_net_exit(struct pp_net *pn)
{
	pp_relay_exit(pn);
	pp_media_net_free(pn->media);
	pn->media = NULL;
}
