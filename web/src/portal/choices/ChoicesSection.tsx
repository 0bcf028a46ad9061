import { Alert, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import { IconAlertCircle, IconFlag, IconGauge, IconKey, IconServer2, IconStack2, IconWaveSine } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../../api/client';
import { problemMessage, unwrap } from '../../api/problem';
import { formatMoney, formatRate } from '../../config/money';

/** One offering as /api/v1/me/choices returns it. */
type Offer = Record<string, unknown>;

const text = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export const choicesKey = ['me', 'choices'] as const;

const methodLabel: Record<string, string> = { userpass: 'Username and password', ip: 'IP address', both: 'Username and password, or IP address' };

interface ChoiceListProps {
  title: string;
  icon: Icon;
  items: Offer[];
  empty: string;
  render: (item: Offer) => { primary: ReactNode; secondary?: ReactNode; badge?: ReactNode };
}

function ChoiceList({ title, icon: ListIcon, items, empty, render }: ChoiceListProps) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Group gap={8}>
        <ListIcon size={18} stroke={1.6} color="var(--portal-accent-text)" aria-hidden />
        <Title order={3} size="h5">
          {title}
        </Title>
        <Badge color="gray" size="sm">
          {items.length}
        </Badge>
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack gap={6}>
          {items.map((item) => {
            const row = render(item);
            return (
              <Group key={text(item.id)} justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={500} truncate>
                      {row.primary}
                    </Text>
                    {row.badge}
                  </Group>
                  {row.secondary && (
                    <Text size="xs" c="dimmed">
                      {row.secondary}
                    </Text>
                  )}
                </Stack>
              </Group>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}

/**
 * What the signed-in customer may choose: the POPs, voice tiers, codecs,
 * auth methods, channel/CPS plans and DID countries assigned to them.
 */
export function ChoicesSection() {
  const choices = useQuery({
    queryKey: choicesKey,
    queryFn: async () => unwrap(await api.GET('/api/v1/me/choices')),
  });

  return (
    <Card component="section" aria-labelledby="choices-title">
      <Stack gap="lg">
        <Stack gap={2}>
          <Title order={2} size="h4" id="choices-title">
            What you can choose
          </Title>
          <Text size="sm" c="dimmed">
            The options available to your account when you set up trunks and order numbers.
          </Text>
        </Stack>
        {choices.isPending ? (
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} height={80} radius="md" />
            ))}
          </SimpleGrid>
        ) : choices.isError ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {problemMessage(choices.error)}
          </Alert>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl" verticalSpacing="xl">
            <ChoiceList
              title="Channel/CPS plans"
              icon={IconGauge}
              items={choices.data.plans as Offer[]}
              empty="No plan is offered to your account yet."
              render={(p) => ({
                primary: text(p.name),
                secondary: `${num(p.channels).toLocaleString()} channels · ${num(p.cps).toLocaleString()} CPS · ${formatMoney(num(p.monthly_price), text(p.currency))}/month`,
              })}
            />
            <ChoiceList
              title="POPs"
              icon={IconServer2}
              items={choices.data.pops as Offer[]}
              empty="No point of presence is offered to your account yet."
              render={(p) => ({
                primary: text(p.name),
                secondary: [text(p.region), Array.isArray(p.sip_hosts) ? p.sip_hosts.join(', ') : '', `${text(p.transport).toUpperCase()} ${text(p.port)}`]
                  .filter(Boolean)
                  .join(' · '),
              })}
            />
            <ChoiceList
              title="Voice tiers"
              icon={IconStack2}
              items={choices.data.voice_tiers as Offer[]}
              empty="No voice tier is offered to your account yet."
              render={(t) => ({
                primary: text(t.name),
                secondary: `${formatRate(num(t.rate_per_minute), text(t.currency))} · target ASR ${num(t.target_asr)} % · PDD ${num(t.target_pdd_ms)} ms`,
              })}
            />
            <ChoiceList
              title="Codecs"
              icon={IconWaveSine}
              items={choices.data.codecs as Offer[]}
              empty="No codec is offered to your account yet."
              render={(c) => ({
                primary: text(c.name),
                secondary: c.payload_type !== null && c.payload_type !== undefined ? `Payload type ${text(c.payload_type)}` : text(c.code),
              })}
            />
            <ChoiceList
              title="Authentication"
              icon={IconKey}
              items={choices.data.auth_methods as Offer[]}
              empty="No authentication method is offered to your account yet."
              render={(a) => ({
                primary: text(a.name),
                secondary: (methodLabel[text(a.method)] ?? text(a.method)) === text(a.name) ? undefined : (methodLabel[text(a.method)] ?? text(a.method)),
                badge: a.id === choices.data.default_auth_method ? <Badge size="sm">Default</Badge> : undefined,
              })}
            />
            <ChoiceList
              title="Phone number countries"
              icon={IconFlag}
              items={choices.data.did_countries as Offer[]}
              empty="No country is open to your account yet."
              render={(c) => ({
                primary: `${text(c.name)} (${text(c.iso_code)})`,
                secondary: `${formatMoney(num(c.setup_price), text(c.currency))} setup · ${formatMoney(num(c.monthly_price), text(c.currency))}/month`,
                badge: c.kyc_required === true ? <Badge size="sm" color="amber">ID check</Badge> : undefined,
              })}
            />
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}
