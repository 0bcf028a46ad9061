import { Badge, Button, Card, Container, Group, List, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconArrowRight, IconCheck, IconHash, IconPhoneCall, IconSitemap, type Icon } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link, useLocation } from 'react-router';
import classes from './HomePage.module.css';

interface Product {
  id: string;
  icon: Icon;
  color: string;
  name: string;
  title: string;
  text: string;
  points: string[];
}

const products: Product[] = [
  {
    id: 'voice',
    icon: IconPhoneCall,
    color: 'blue',
    name: 'Voice',
    title: 'SIP trunks',
    text: 'Connect your PBX, contact centre or dialer and call anywhere, on routes chosen for quality and cost.',
    points: ['Quality tiers to match every call', 'IP or credential authentication', 'Channel and CPS plans that grow with you'],
  },
  {
    id: 'numbers',
    icon: IconHash,
    color: 'teal',
    name: 'Numbers',
    title: 'Phone numbers (DIDs)',
    text: 'Local, national and toll-free numbers, delivered to your trunk, your PBX or a phone of your choice.',
    points: ['Order and route numbers yourself', 'Identity checks done online', 'Move numbers between services any time'],
  },
  {
    id: 'pbx',
    icon: IconSitemap,
    color: 'violet',
    name: 'PBX',
    title: 'Hosted PBX',
    text: 'A complete business phone system in the cloud, with nothing to install or maintain.',
    points: ['Extensions, IVR menus and ring groups', 'Queues, voicemail and call recording', 'Set up from your browser'],
  },
];

/** The public home page (plan task 46). */
export function HomePage() {
  useDocumentTitle('DIDtron · SIP trunks, phone numbers and hosted PBX');
  const { hash } = useLocation();

  // Header links point at sections of this page.
  useEffect(() => {
    if (hash) document.getElementById(hash.slice(1))?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    else window.scrollTo({ top: 0 });
  }, [hash]);

  return (
    <>
      <section className={classes.hero}>
        <Container size="lg" className={classes.heroInner}>
          <Stack align="center" gap="lg">
            <Badge variant="light" size="lg" radius="xl" className={classes.eyebrow}>
              Voice for business, in one account
            </Badge>
            <Title order={1} className={classes.headline} ta="center">
              SIP trunks, DIDs and hosted PBX <span className={classes.highlight}>for your business</span>
            </Title>
            <Text size="xl" c="dimmed" ta="center" maw={640} className={classes.lead}>
              Connect your phone system, order numbers around the world and run your team&apos;s calls in the cloud,
              all managed from one self-service portal.
            </Text>
            <Group gap="sm" justify="center" mt="sm">
              <Button component={Link} to="/register" size="lg" rightSection={<IconArrowRight size={18} />}>
                Get started
              </Button>
              <Button component={Link} to={{ pathname: '/', hash: '#pricing' }} size="lg" variant="default">
                See pricing
              </Button>
            </Group>
            <Group gap="xl" justify="center" mt="md" className={classes.assurances}>
              {['Self-service portal', 'REST API and webhooks', 'Pay for what you use'].map((a) => (
                <Group key={a} gap={6} wrap="nowrap">
                  <IconCheck size={16} stroke={2.2} className={classes.check} />
                  <Text size="sm" c="dimmed">
                    {a}
                  </Text>
                </Group>
              ))}
            </Group>
          </Stack>
        </Container>
      </section>

      <section className={classes.products} aria-labelledby="products-title">
        <Container size="lg">
          <Stack gap={6} align="center" mb={40}>
            <Text size="sm" fw={600} c="blue" tt="uppercase" className={classes.kicker}>
              Products
            </Text>
            <Title order={2} id="products-title" ta="center">
              Everything your business needs to talk
            </Title>
          </Stack>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="lg">
            {products.map((p) => (
              <Card key={p.id} id={p.id} className={classes.productCard} shadow="xs">
                <ThemeIcon size={44} radius="md" variant="light" color={p.color}>
                  <p.icon size={24} stroke={1.6} />
                </ThemeIcon>
                <Text size="xs" fw={700} tt="uppercase" c="dimmed" mt="lg" className={classes.kicker}>
                  {p.name}
                </Text>
                <Title order={3} mt={4}>
                  {p.title}
                </Title>
                <Text c="dimmed" size="sm" mt="xs" mb="md">
                  {p.text}
                </Text>
                <List
                  spacing={8}
                  size="sm"
                  icon={<IconCheck size={16} stroke={2.2} className={classes.check} />}
                  classNames={{ itemWrapper: classes.listItem }}
                >
                  {p.points.map((pt) => (
                    <List.Item key={pt}>{pt}</List.Item>
                  ))}
                </List>
              </Card>
            ))}
          </SimpleGrid>
        </Container>
      </section>

      <section id="pricing" className={classes.pricing} aria-labelledby="pricing-title">
        <Container size="md">
          <Paper withBorder p={{ base: 'xl', sm: 48 }} className={classes.pricingCard}>
            <Stack align="center" gap="sm">
              <Text size="sm" fw={600} c="blue" tt="uppercase" className={classes.kicker}>
                Pricing
              </Text>
              <Title order={2} id="pricing-title" ta="center">
                Simple, usage-based pricing
              </Title>
              <Text c="dimmed" ta="center" maw={560}>
                Per-minute voice rates, monthly number fees and PBX seats will be listed here, straight from our live
                price lists. Create an account to see the rates that apply to you.
              </Text>
              <Button component={Link} to="/register" mt="md" rightSection={<IconArrowRight size={16} />}>
                Create an account
              </Button>
            </Stack>
          </Paper>
        </Container>
      </section>
    </>
  );
}
